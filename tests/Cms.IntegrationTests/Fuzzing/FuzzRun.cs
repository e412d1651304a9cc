using System.Globalization;

namespace Cms.IntegrationTests.Fuzzing;

/// <summary>
/// Seed and size of a fuzz run. The suite runs a short run on a fresh random seed; AMPCMS_FUZZ_SEED replays one exactly
/// (a failure message names its seed and input) and AMPCMS_FUZZ_SCALE multiplies the number of inputs (bench/fuzz.sh).
/// </summary>
public sealed class FuzzRun
{
    private FuzzRun(int seed, int scale)
    {
        Seed = seed;
        Scale = scale;
    }

    public int Seed { get; }
    public int Scale { get; }

    public static FuzzRun FromEnvironment() => new(
        int.TryParse(Environment.GetEnvironmentVariable("AMPCMS_FUZZ_SEED"), CultureInfo.InvariantCulture, out var seed) ? seed : Random.Shared.Next(),
        int.TryParse(Environment.GetEnvironmentVariable("AMPCMS_FUZZ_SCALE"), CultureInfo.InvariantCulture, out var scale) && scale > 0 ? scale : 1);

    /// <summary>A generator of its own per stream, so one stream's inputs do not depend on how many another drew.</summary>
    public Random Stream(string name) => new(unchecked(Seed * 31 + StableHash(name)));

    public int Count(int shortRun) => shortRun * Scale;

    /// <summary>Fails naming the seed and the input, so "AMPCMS_FUZZ_SEED=… dotnet test" replays it.</summary>
    public void Check(bool condition, string what, string input)
    {
        if (condition) return;
        var file = Path.Combine(Path.GetTempPath(), $"ampcms-fuzz-{Seed}.txt");
        File.WriteAllText(file, input);
        throw new Xunit.Sdk.XunitException($"fuzz seed {Seed} (replay with AMPCMS_FUZZ_SEED={Seed}): {what}\ninput (whole in {file}): {Shorten(input)}");
    }

    public static string Shorten(string text) => text.Length <= 600 ? text : text[..600] + $"… ({text.Length} chars)";

    private static int StableHash(string text)
    {
        var h = 17;
        foreach (var c in text) h = unchecked(h * 31 + c);
        return h;
    }
}
