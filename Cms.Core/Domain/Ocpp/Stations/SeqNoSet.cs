using System.Globalization;

namespace Cms.Core.Domain.Ocpp.Stations;

/// <summary>
/// The seqNos seen for one transaction, stored as ranges ("0-41,43"). Events arrive in order almost always, so the
/// text stays a single range however long the transaction runs.
/// </summary>
public sealed class SeqNoSet
{
    private readonly List<(long From, long To)> _ranges = [];

    public static SeqNoSet Parse(string? text)
    {
        var set = new SeqNoSet();
        foreach (var part in (text ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries))
        {
            var bounds = part.Split('-');
            var from = long.Parse(bounds[0], CultureInfo.InvariantCulture);
            set._ranges.Add((from, bounds.Length > 1 ? long.Parse(bounds[1], CultureInfo.InvariantCulture) : from));
        }
        return set;
    }

    public bool Contains(long seqNo) => _ranges.Any(r => seqNo >= r.From && seqNo <= r.To);

    /// <summary>False when it was already there (a repeated event).</summary>
    public bool Add(long seqNo)
    {
        if (Contains(seqNo)) return false;
        _ranges.Add((seqNo, seqNo));
        _ranges.Sort();
        for (var i = _ranges.Count - 1; i > 0; i--)
            if (_ranges[i].From <= _ranges[i - 1].To + 1)
            {
                _ranges[i - 1] = (_ranges[i - 1].From, Math.Max(_ranges[i - 1].To, _ranges[i].To));
                _ranges.RemoveAt(i);
            }
        return true;
    }

    public override string ToString() => string.Join(",", _ranges.Select(r =>
        r.From == r.To ? r.From.ToString(CultureInfo.InvariantCulture) : $"{r.From.ToString(CultureInfo.InvariantCulture)}-{r.To.ToString(CultureInfo.InvariantCulture)}"));
}
