using Microsoft.Playwright;

namespace Cms.Console.Tests;

/// <summary>
/// What the load chart (a uPlot canvas) has drawn, counted by colour: uPlot draws lines on a canvas, so a test that
/// wants to know the capacity line is there reads the canvas's pixels.
/// </summary>
public sealed record ChartPixels(int Capacity, int Measured, int Planned, int DrEvent)
{
    // The series colours of console/src/loadchart.js.
    const string Script = """
        () => {
          const canvas = document.querySelector('#chart canvas');
          if (!canvas) return null;
          const d = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
          const near = (i, [r, g, b]) => d[i + 3] > 200 && Math.abs(d[i] - r) < 24 && Math.abs(d[i + 1] - g) < 24 && Math.abs(d[i + 2] - b) < 24;
          const counts = { capacity: 0, measured: 0, planned: 0, dr: 0 };
          for (let i = 0; i < d.length; i += 4) {
            if (near(i, [0xd6, 0x27, 0x28])) counts.capacity++;
            else if (near(i, [0x1f, 0x77, 0xb4])) counts.measured++;
            else if (near(i, [0x2c, 0xa0, 0x2c])) counts.planned++;
            else if (near(i, [0xff, 0x7f, 0x0e])) counts.dr++;
          }
          return counts;
        }
        """;

    public static async Task<ChartPixels?> ReadAsync(IPage page)
    {
        var counts = await page.EvaluateAsync<Dictionary<string, int>?>(Script);
        return counts is null ? null : new ChartPixels(counts["capacity"], counts["measured"], counts["planned"], counts["dr"]);
    }
}
