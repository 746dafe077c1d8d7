namespace Agent.Imaging;

/// <summary>A point or direction in patient space (millimetres, LPS).</summary>
public readonly record struct Vec3(double X, double Y, double Z)
{
    public static Vec3 operator +(Vec3 a, Vec3 b) => new(a.X + b.X, a.Y + b.Y, a.Z + b.Z);
    public static Vec3 operator -(Vec3 a, Vec3 b) => new(a.X - b.X, a.Y - b.Y, a.Z - b.Z);
    public static Vec3 operator *(double s, Vec3 a) => new(s * a.X, s * a.Y, s * a.Z);
    public static Vec3 operator -(Vec3 a) => new(-a.X, -a.Y, -a.Z);

    public double Dot(Vec3 b) => X * b.X + Y * b.Y + Z * b.Z;

    public Vec3 Cross(Vec3 b) => new(Y * b.Z - Z * b.Y, Z * b.X - X * b.Z, X * b.Y - Y * b.X);

    public double Length => Math.Sqrt(Dot(this));

    public Vec3 Normalized()
    {
        var n = Length;
        return n > 0 ? (1 / n) * this : this;
    }

    public static implicit operator (double X, double Y, double Z)(Vec3 v) => (v.X, v.Y, v.Z);

    public static Vec3 From((double X, double Y, double Z) t) => new(t.X, t.Y, t.Z);
}
