using System.Text;

namespace Promoter.Archives;

/// <summary>
/// Writes tar headers by hand so that every byte is fixed: mtime 0, uid/gid 0, empty uname/gname, device numbers 0,
/// octal fields zero-padded and NUL-terminated, checksum as six octal digits, NUL, space (POSIX.1-1988 ustar layout).
/// Entries are written in the order given; callers sort them.
/// </summary>
internal sealed class DeterministicTarWriter(Stream output, TarDialect dialect)
{
    private const int Block = 512;
    private const int Record = 20 * Block;
    private long _written;

    public void AddDirectory(string name, int mode) => WriteHeader(name.EndsWith('/') ? name : name + "/", mode, 0, (byte)'5');

    public void AddFile(string name, ReadOnlySpan<byte> content, int mode)
    {
        WriteHeader(name, mode, content.Length, (byte)'0');
        Write(content);
        Write(new byte[(Block - content.Length % Block) % Block]);
    }

    /// <summary>Writes the end-of-archive marker (two zero blocks) and, for <see cref="TarDialect.Gnu"/>, the record padding.</summary>
    public void Finish()
    {
        Write(new byte[2 * Block]);
        if (dialect == TarDialect.Gnu) Write(new byte[(Record - _written % Record) % Record]);
    }

    private void WriteHeader(string name, int mode, long size, byte type)
    {
        var nameBytes = Encoding.UTF8.GetBytes(name);
        if (nameBytes.Length > 100)
            throw new ArgumentException($"Tar entry name '{name}' is {nameBytes.Length} bytes; this writer supports at most 100.", nameof(name));
        if (mode is < 0 or > 0xFFF)
            throw new ArgumentOutOfRangeException(nameof(mode), $"Mode {Convert.ToString(mode, 8)} of '{name}' is not a permission mode (0 to 07777 octal).");
        var header = new byte[Block];
        nameBytes.CopyTo(header, 0);
        var fullMode = dialect == TarDialect.Ustar ? mode | (type == '5' ? 0x4000 : 0x8000) : mode;
        Octal(header, 100, 8, fullMode);
        Octal(header, 108, 8, 0);
        Octal(header, 116, 8, 0);
        Octal(header, 124, 12, size);
        Octal(header, 136, 12, 0);
        header[156] = type;
        var magic = dialect == TarDialect.Gnu ? "ustar  \0"u8 : "ustar\u000000"u8;
        magic.CopyTo(header.AsSpan(257));
        Octal(header, 329, 8, 0);
        Octal(header, 337, 8, 0);
        header.AsSpan(148, 8).Fill((byte)' ');
        long sum = 0;
        foreach (var b in header) sum += b;
        Octal(header, 148, 7, sum);
        header[155] = (byte)' ';
        Write(header);
    }

    private static void Octal(byte[] header, int offset, int width, long value)
    {
        var text = Convert.ToString(value, 8).PadLeft(width - 1, '0');
        if (text.Length > width - 1) throw new ArgumentOutOfRangeException(nameof(value), $"{value} does not fit a {width}-byte tar field.");
        Encoding.ASCII.GetBytes(text, header.AsSpan(offset));
        header[offset + width - 1] = 0;
    }

    private void Write(ReadOnlySpan<byte> bytes)
    {
        output.Write(bytes);
        _written += bytes.Length;
    }
}
