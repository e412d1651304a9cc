namespace Cms.Optimizer.Bench; public static class AcnReplay { public static void Run(string path) { } }
