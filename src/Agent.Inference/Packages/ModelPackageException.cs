namespace Agent.Inference.Packages;

/// <summary>A model package cannot be used: the message names the file and the manifest key at fault.</summary>
public sealed class ModelPackageException : Exception
{
    public ModelPackageException() { }

    public ModelPackageException(string message) : base(message) { }

    public ModelPackageException(string message, Exception innerException) : base(message, innerException) { }
}
