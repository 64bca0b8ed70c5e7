namespace Compliance.Deployment.Tests.Bicep;

/// <summary>The Bicep CLI failed, timed out or printed something that could not be read; the message says which, with its standard error.</summary>
public sealed class BicepCliException : Exception
{
    public BicepCliException()
    {
    }

    public BicepCliException(string message)
        : base(message)
    {
    }

    public BicepCliException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
