using Cms.Core.Domain.Optimizations;
using Cms.Core.Domain.Planning;
using Cms.Core.Domain.Simulations;

namespace Cms.Host.Composition;

public static class OptimizerServices
{
    /// <summary>
    /// The optimizer's run guard (<c>Optimizer:BudgetMs</c>, default 1,000), the site-history defaults, the lowest-peak
    /// option with its peak hint (<c>Optimizer:MinimizePeak</c>, default off) and what-if replays.
    /// </summary>
    public static IServiceCollection AddOptimizerGuard(this IServiceCollection services, IConfiguration config)
    {
        var budget = config.GetValue("Optimizer:BudgetMs", (int)OptimizerGuardOptions.Default.Budget.TotalMilliseconds);
        services.AddSingleton(new OptimizerGuardOptions(TimeSpan.FromMilliseconds(Math.Clamp(budget, 1, 600_000))));
        services.AddSingleton<OptimizerSolver>();
        services.AddSingleton<OptimizerGuard>();
        services.AddSingleton<SessionDefaults>();
        services.AddSingleton(new PeakOptions(config.GetValue("Optimizer:MinimizePeak", false)));
        services.AddSingleton<PeakHints>();
        services.AddSingleton<SimulationService>();
        return services;
    }
}
