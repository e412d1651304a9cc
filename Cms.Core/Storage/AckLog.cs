using System.Buffers.Binary;

namespace Cms.Core.Storage;

/// <summary>
/// Records acknowledged before their group commit, kept on disk until that commit: one <c>write()</c> per record, to
/// a file the process holds exclusively. A process killed after the write loses nothing (the kernel holds the page); a
/// power cut can lose the last records, as SQLite's synchronous=NORMAL can lose the last commits. Two files take turns:
/// appends go to one until it passes <see cref="RotateBytes"/>, then to the other, and a file is emptied once every
/// record in it is committed (<see cref="Committed"/>), so the files stay small under a steady load. Each record is
/// framed as [length][checksum][payload]: a record cut short by a crash ends the replay of its file.
/// Thread-safe; one per store file.
/// </summary>
public sealed class AckLog : IDisposable
{
    private const long RotateBytes = 8 << 20;
    private const int HeaderBytes = 8;
    private readonly object _gate = new();
    private readonly FileStream[] _files;
    private readonly long[] _pending = new long[2];
    /// <summary>Each file's length, kept here: asking the file would cost a system call per record.</summary>
    private readonly long[] _length = new long[2];
    private int _current;

    private AckLog(FileStream[] files)
    {
        _files = files;
        for (var i = 0; i < files.Length; i++) _length[i] = files[i].Position = files[i].Length;
    }

    /// <summary>The log beside <paramref name="storePath"/>, or null if another store object in this or another
    /// process holds it (that one owns it; this one then waits for its commits as before).</summary>
    public static AckLog? TryOpen(string storePath)
    {
        var files = new List<FileStream>(2);
        try
        {
            foreach (var suffix in Suffixes)
                files.Add(new FileStream(storePath + suffix, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, bufferSize: 0));
            return new AckLog([.. files]);
        }
        catch (IOException)
        {
            foreach (var f in files) f.Dispose();
            return null;
        }
    }

    public static readonly IReadOnlyList<string> Suffixes = ["-acks0", "-acks1"];

    /// <summary>Appends a record; returns which file took it, to be passed to <see cref="Committed"/> once the record's
    /// content is committed in the store.</summary>
    public int Append(ReadOnlySpan<byte> payload)
    {
        var frame = new byte[HeaderBytes + payload.Length];
        BinaryPrimitives.WriteInt32LittleEndian(frame, payload.Length);
        BinaryPrimitives.WriteUInt32LittleEndian(frame.AsSpan(4), Checksum(payload));
        payload.CopyTo(frame.AsSpan(HeaderBytes));
        lock (_gate)
        {
            if (_length[_current] >= RotateBytes && _pending[1 - _current] == 0)
            {
                // The other file is empty (emptied when its last record was committed); this one is emptied now if all
                // of it is committed, else by the commit of its last record.
                if (_pending[_current] == 0) Empty(_current);
                _current = 1 - _current;
            }
            _files[_current].Write(frame);
            _length[_current] += frame.Length;
            _pending[_current]++;
            return _current;
        }
    }

    /// <summary>Records appended to <paramref name="file"/> are committed; a file not current and all committed is emptied.</summary>
    public void Committed(int file, int records)
    {
        lock (_gate)
        {
            _pending[file] -= records;
            if (_pending[file] == 0 && file != _current) Empty(file);
        }
    }

    /// <summary>Every whole record in both files, in no particular order (their content must not depend on it); a record
    /// cut short or damaged ends its file. For a start-up, before any <see cref="Append"/>.</summary>
    public List<byte[]> ReadAll()
    {
        var records = new List<byte[]>();
        lock (_gate)
            foreach (var file in _files)
            {
                file.Seek(0, SeekOrigin.Begin);
                var bytes = new byte[file.Length];
                file.ReadExactly(bytes);
                for (var at = 0; at + HeaderBytes <= bytes.Length;)
                {
                    var length = BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(at));
                    if (length < 0 || at + HeaderBytes + length > bytes.Length) break;
                    var payload = bytes.AsSpan(at + HeaderBytes, length);
                    if (Checksum(payload) != BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(at + 4))) break;
                    records.Add(payload.ToArray());
                    at += HeaderBytes + length;
                }
                file.Position = bytes.Length;
            }
        return records;
    }

    /// <summary>Empties both files: what they held is committed (after a start-up's replay).</summary>
    public void Clear()
    {
        lock (_gate)
        {
            Empty(0);
            Empty(1);
            _pending[0] = _pending[1] = 0;
            _current = 0;
        }
    }

    private void Empty(int file)
    {
        _files[file].SetLength(0);
        _files[file].Position = 0;
        _length[file] = 0;
    }

    /// <summary>FNV-1a: catches a record cut short or overwritten, which is all it is for.</summary>
    private static uint Checksum(ReadOnlySpan<byte> data)
    {
        var hash = 2166136261u;
        foreach (var b in data) hash = (hash ^ b) * 16777619u;
        return hash;
    }

    public void Dispose()
    {
        foreach (var file in _files) file.Dispose();
    }
}
