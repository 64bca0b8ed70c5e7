using System.Security.Cryptography;

namespace Compliance.Core.Keys;

/// <summary>
/// A random 256-bit key kept in a file readable by its owner only, created on first use. Two processes (or
/// threads) racing to create it end up with the same key: the file is created exclusively (O_EXCL), so exactly
/// one creator writes it, and the others read what it wrote, waiting briefly if they open it before the
/// writer has finished. (Writing a temporary file and renaming it is not enough: on Unix a rename without
/// overwrite is a check followed by a replace, and two racers can both pass the check.)
/// </summary>
internal static class LocalKeyFile
{
    private const int Base64Length = 44;
    private static readonly TimeSpan PartialWriteWait = TimeSpan.FromSeconds(5);

    public static byte[] LoadOrCreate(string directory, string name)
    {
        var path = Path.Combine(directory, name);
        if (File.Exists(path))
        {
            return Read(path);
        }

        Directory.CreateDirectory(directory);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        var key = RandomNumberGenerator.GetBytes(32);
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, Share = FileShare.Read };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        FileStream stream;
        try
        {
            stream = new FileStream(path, options);
        }
        catch (IOException) when (File.Exists(path))
        {
            return Read(path); // another creator won the race
        }

        using (stream)
        {
            stream.Write(System.Text.Encoding.ASCII.GetBytes(Convert.ToBase64String(key)));
            stream.Flush(flushToDisk: true);
        }

        return key;
    }

    /// <summary>Reads the key, waiting for a creator that is still writing it.</summary>
    private static byte[] Read(string path)
    {
        var deadline = Environment.TickCount64 + (long)PartialWriteWait.TotalMilliseconds;
        while (true)
        {
            var text = File.ReadAllText(path).Trim();
            if (text.Length >= Base64Length || Environment.TickCount64 > deadline)
            {
                var key = Convert.FromBase64String(text);
                return key.Length == 32 ? key : throw new InvalidOperationException($"The development key file {path} does not hold a 256-bit key.");
            }

            Thread.Sleep(5);
        }
    }
}
