namespace Agent.Host.Cli;

/// <summary>Process exit codes, the same for every command.</summary>
public static class ExitCodes
{
    public const int Ok = 0;
    public const int Failure = 1;
    public const int Usage = 2;
}
