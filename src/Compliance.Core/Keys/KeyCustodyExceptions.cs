namespace Compliance.Core.Keys;

/// <summary>A key-custody operation failed. <see cref="Code"/> is the service's error code (Key Vault's, or the local store's equivalent).</summary>
public class KeyCustodyException : Exception
{
    public KeyCustodyException()
    {
    }

    public KeyCustodyException(string message)
        : base(message)
    {
    }

    public KeyCustodyException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public KeyCustodyException(string code, string message, Exception? innerException = null)
        : base(message, innerException)
    {
        Code = code;
    }

    public string Code { get; } = "Unknown";
}

/// <summary>No such key or version (or no such deleted key).</summary>
public sealed class RootKeyNotFoundException(string message, Exception? innerException = null)
    : KeyCustodyException("KeyNotFound", message, innerException);

/// <summary>The caller may not do this, or the key version is disabled.</summary>
public sealed class KeyCustodyForbiddenException(string message, Exception? innerException = null)
    : KeyCustodyException("Forbidden", message, innerException);

/// <summary>Key Vault kept throttling after retries.</summary>
public sealed class KeyCustodyThrottledException(string message, Exception? innerException = null)
    : KeyCustodyException("Throttled", message, innerException);

/// <summary>The key is soft-deleted: recover or purge it before using the name again.</summary>
public sealed class KeyDeletedButRecoverableException(string message, Exception? innerException = null)
    : KeyCustodyException("ObjectIsDeletedButRecoverable", message, innerException);
