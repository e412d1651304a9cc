using System.Buffers.Binary;
using System.IO.MemoryMappedFiles;
using System.Numerics;

namespace Cms.Core.Storage;

/// <summary>
/// Records acknowledged before their group commit, kept on disk until that commit, in files the process holds
/// exclusively and maps into memory: appending a record is a copy into the kernel's page cache, no system call (a
/// <c>write()</c> per record was 4 % of the host's CPU under charger load). A process killed after the copy loses
/// nothing (the kernel holds the page); a power cut can lose the last records, as SQLite's synchronous=NORMAL can lose
/// the last commits. Two files take turns: appends go to one until it passes <see cref="RotateBytes"/>, then to the
/// other, and a file is emptied once every record in it is committed (<see cref="Committed"/>), so the files stay small
/// under a steady load. A file is [magic][epoch] then records [length][checksum][payload], the checksum (CRC-32C) seeded
/// with the file's epoch: emptying a file gives it a new epoch, so the records of its previous turn, still in its pages, no
/// longer read back; a record cut short by a crash ends the replay of its file. Thread-safe; one per store file.
/// </summary>
public sealed class AckLog : IDisposable
{
    private const long RotateBytes = 8 << 20;
    /// <summary>A file's first size; one that must go on past it (its other file still waits for a commit) doubles.</summary>
    private const long InitialCapacity = 16 << 20;
    private const int FileHeaderBytes = 16;
    private const int RecordHeaderBytes = 8;
    private const uint Magic = 0x334B4341; // "ACK3": CRC-32C checksums
    /// <summary>The previous version's files: the same layout with FNV-1a checksums (a byte at a time: ~8× the CPU of the
    /// processor's CRC-32C, ~1 µs per MeterValues record).</summary>
    private const uint MagicFnv = 0x324B4341; // "ACK2"

    private readonly object _gate = new();
    private readonly FileStream[] _files;
    private readonly MemoryMappedViewAccessor?[] _views = new MemoryMappedViewAccessor?[2];
    private readonly long[] _capacity = new long[2];
    private readonly long[] _epoch = new long[2];
    private readonly long[] _pending = new long[2];
    /// <summary>Where each file's next record goes.</summary>
    private readonly long[] _length = new long[2];
    private int _current;

    private AckLog(FileStream[] files) => _files = files;

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
    /// content is committed in the store. A start-up reads what the log holds, then clears it (<see cref="ReadAll"/>,
    /// <see cref="Clear"/>): only then does it take records.</summary>
    public int Append(ReadOnlySpan<byte> payload)
    {
        lock (_gate)
        {
            if (_views[0] is null) throw new InvalidOperationException("the ack log takes records once cleared");
            if (_length[_current] >= RotateBytes && _pending[1 - _current] == 0)
            {
                // The other file is empty (emptied when its last record was committed); this one is emptied now if all
                // of it is committed, else by the commit of its last record.
                if (_pending[_current] == 0) Empty(_current);
                _current = 1 - _current;
            }
            var file = _current;
            var at = _length[file];
            var end = at + RecordHeaderBytes + payload.Length;
            while (end > _capacity[file]) Map(file, _capacity[file] * 2);
            var view = _views[file]!;
            // The accessor writes arrays only; its handle takes a span (at the view's own offset in the mapping, as it does).
            view.SafeMemoryMappedViewHandle.WriteSpan((ulong)(view.PointerOffset + at + RecordHeaderBytes), payload);
            view.Write(at + 4, Checksum(_epoch[file], payload));
            view.Write(at, payload.Length);
            _length[file] = end;
            _pending[file]++;
            return file;
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
    /// cut short or damaged ends its file. For a start-up, before <see cref="Clear"/>; files written by the previous
    /// versions of the log are read too: mapped with FNV-1a checksums ("ACK2"), and before that records from the first
    /// byte, one write() each.</summary>
    public List<byte[]> ReadAll()
    {
        var records = new List<byte[]>();
        lock (_gate)
            for (var i = 0; i < _files.Length; i++)
            {
                var file = _files[i];
                file.Seek(0, SeekOrigin.Begin);
                var bytes = new byte[file.Length];
                file.ReadExactly(bytes);
                var magic = bytes.Length >= FileHeaderBytes ? BinaryPrimitives.ReadUInt32LittleEndian(bytes) : 0;
                var mapped = magic is Magic or MagicFnv;
                var epoch = mapped ? BinaryPrimitives.ReadInt64LittleEndian(bytes.AsSpan(8)) : 0;
                var at = mapped ? FileHeaderBytes : 0;
                while (at + RecordHeaderBytes <= bytes.Length)
                {
                    var length = BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(at));
                    if (length <= 0 || at + RecordHeaderBytes + (long)length > bytes.Length) break;
                    var payload = bytes.AsSpan(at + RecordHeaderBytes, length);
                    var checksum = magic == Magic ? Checksum(epoch, payload) : FnvChecksum(epoch, payload);
                    if (checksum != BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(at + 4))) break;
                    records.Add(payload.ToArray());
                    at += RecordHeaderBytes + length;
                }
            }
        return records;
    }

    /// <summary>Empties both files: what they held is committed (after a start-up's replay).</summary>
    public void Clear()
    {
        lock (_gate)
        {
            for (var i = 0; i < _files.Length; i++)
            {
                if (_views[i] is null) Map(i, Math.Max(InitialCapacity, _files[i].Length));
                Empty(i);
            }
            _pending[0] = _pending[1] = 0;
            _current = 0;
        }
    }

    /// <summary>A new epoch in the file's header: its records no longer read back, and appends start after the header.</summary>
    private void Empty(int file)
    {
        _epoch[file] = Random.Shared.NextInt64();
        _views[file]!.Write(0, Magic);
        _views[file]!.Write(4, 0);
        _views[file]!.Write(8, _epoch[file]);
        _length[file] = FileHeaderBytes;
    }

    /// <summary>Maps the file at (at least) this size; the file grows to it (sparse: only pages written take space).</summary>
    private void Map(int file, long capacity)
    {
        _views[file]?.Dispose();
        if (_files[file].Length < capacity) _files[file].SetLength(capacity);
        using var map = MemoryMappedFile.CreateFromFile(_files[file], null, capacity, MemoryMappedFileAccess.ReadWrite,
            HandleInheritability.None, leaveOpen: true);
        _views[file] = map.CreateViewAccessor(0, capacity);
        _capacity[file] = capacity;
    }

    /// <summary>CRC-32C seeded with the file's epoch: catches a record cut short or overwritten, or left from the file's
    /// previous turn, which is all it is for. Eight bytes per instruction where the processor has one for it.</summary>
    private static uint Checksum(long epoch, ReadOnlySpan<byte> data)
    {
        var crc = BitOperations.Crc32C(~0u, (ulong)epoch);
        var i = 0;
        for (; i + 8 <= data.Length; i += 8) crc = BitOperations.Crc32C(crc, BinaryPrimitives.ReadUInt64LittleEndian(data[i..]));
        for (; i < data.Length; i++) crc = BitOperations.Crc32C(crc, data[i]);
        return ~crc;
    }

    /// <summary>The previous versions' checksum: FNV-1a seeded with the file's epoch (0 for a file without a header).</summary>
    private static uint FnvChecksum(long epoch, ReadOnlySpan<byte> data)
    {
        var hash = 2166136261u ^ (uint)epoch ^ (uint)(epoch >> 32);
        foreach (var b in data) hash = (hash ^ b) * 16777619u;
        return hash;
    }

    public void Dispose()
    {
        foreach (var view in _views) view?.Dispose();
        foreach (var file in _files) file.Dispose();
    }
}
