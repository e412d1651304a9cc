using System.Buffers;
using Newtonsoft.Json;

namespace Cms.Ocpp.Framing;

/// <summary>The frame parser's Newtonsoft reader takes its char buffer from here instead of allocating ~2 KiB per frame.</summary>
sealed class PooledJsonChars : IArrayPool<char>
{
    public static readonly PooledJsonChars Instance = new();

    public char[] Rent(int minimumLength) => ArrayPool<char>.Shared.Rent(minimumLength);

    public void Return(char[]? array)
    {
        if (array is not null) ArrayPool<char>.Shared.Return(array);
    }
}
