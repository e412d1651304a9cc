using Cms.Core.Resources;

namespace Cms.Core.Domain.Profiles;

/// <summary>The query of one profile call, validated; unknown parameters are refused like everywhere else.</summary>
internal sealed class ProfileQuery
{
    private readonly Dictionary<string, string> _values = [];
    public string Network { get; private set; } = "";
    public int Limit { get; private set; } = int.MaxValue;
    public int Offset { get; private set; }

    public static ProfileQuery Parse(IEnumerable<KeyValuePair<string, string[]>> query, string[] known, bool requireNetwork = true)
    {
        var q = new ProfileQuery();
        foreach (var (key, values) in query)
        {
            if (!known.Contains(key)) throw ApiFailure.BadRequest(key, "unknown query parameter");
            if (values.Length > 0) q._values[key] = values[^1];
        }
        if (q.Single("network") is { } network) q.Network = (string)Filters.ConvertQueryValue("network", network, FieldType.Uuid);
        else if (requireNetwork) throw ApiFailure.BadRequest("network", "is required");
        if (known.Contains("limit"))
        {
            q.Limit = 100;
            if (q.Single("limit") is { } l)
                q.Limit = int.TryParse(l, out var limit) && limit is >= 1 and <= 1000
                    ? limit : throw ApiFailure.BadRequest("limit", "must be an integer between 1 and 1000");
            if (q.Single("offset") is { } o)
                q.Offset = int.TryParse(o, out var offset) && offset >= 0 ? offset : throw ApiFailure.BadRequest("offset", "must be a non-negative integer");
        }
        return q;
    }

    public string? Single(string key) => _values.GetValueOrDefault(key);

    public (DateTimeOffset, DateTimeOffset) Window(DateTimeOffset defaultStart, DateTimeOffset defaultEnd, TimeSpan? maxWindow)
    {
        var width = defaultEnd - defaultStart;
        DateTimeOffset? givenStart = Single("start") is { } s ? Filters.ParseTime("start", s) : null;
        DateTimeOffset? givenEnd = Single("end") is { } e ? Filters.ParseTime("end", e) : null;
        // One bound given: the other keeps the default width from it, so the window is never inverted by a default.
        var start = givenStart ?? (givenEnd is { } ge ? ge - width : defaultStart);
        var end = givenEnd ?? (givenStart is { } gs ? gs + width : defaultEnd);
        if (start >= end) throw ApiFailure.BadRequest("end", "must be after start");
        if (maxWindow is { } max && end - start > max)
            throw ApiFailure.BadRequest("end", $"the interval between start and end is limited to {max.TotalDays:0} days");
        return (start, end);
    }

    public TimeSpan IntervalLength()
    {
        if (Single("intervalLength") is not { } text) return TimeSpan.FromMinutes(15);
        return int.TryParse(text, out var minutes) && minutes >= 1
            ? TimeSpan.FromMinutes(minutes)
            : throw ApiFailure.BadRequest("intervalLength", "must be an integer number of minutes >= 1");
    }

    public (string Name, TimeSpan Step) Resolution(TimeSpan window)
    {
        if (Single("resolution") is { } name)
        {
            if (!InputProfileService.Resolutions.TryGetValue(name, out var step))
                throw ApiFailure.BadRequest("resolution", "must be one of " + string.Join(", ", InputProfileService.Resolutions.Keys));
            if (window / step > InputProfileService.MaxPoints)
                throw ApiFailure.BadRequest("resolution", $"gives more than {InputProfileService.MaxPoints} points for this window; choose a coarser one");
            return (name, step);
        }
        // "The resolution is determined based on the width of the time window": the finest step with at most 2880 points.
        return InputProfileService.Resolutions.FirstOrDefault(r => window / r.Value <= InputProfileService.MaxDefaultPoints) is { Key: not null } found
            ? (found.Key, found.Value)
            : InputProfileService.Resolutions.Last() is var last && window / last.Value <= InputProfileService.MaxPoints ? (last.Key, last.Value)
            : throw ApiFailure.BadRequest("end", "the window is too wide for any resolution");
    }
}
