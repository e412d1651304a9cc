using Cms.Core.Cluster;
using Cms.Core.Domain.Ocpp;
using Cms.Ocpp.Csms;
using Npgsql;

namespace Cms.Host.Cluster;

/// <summary>The cluster's own connection pool to PostgreSQL (bus, presence, leases), apart from the store's.</summary>
public sealed record ClusterDatabase(NpgsqlDataSource Source);

public static class ClusterSetup
{
    /// <summary>
    /// With no PostgreSQL connection string (the SQLite store), this node plans every network and runs every job, as
    /// it always did. With the store on PostgreSQL (<c>AMPCMS_POSTGRES</c> or <c>Storage:Postgres</c>), every node on
    /// that database is one cluster: bus, presence, routing and leases.
    /// Call after the OCPP services: the routing gateway replaces the local one as Core's <see cref="IChargerGateway"/>.
    /// </summary>
    public static IServiceCollection AddAmpCluster(this IServiceCollection services, IConfiguration config)
    {
        services.AddSingleton<NodeIdentity>();
        var postgres = PostgresStore.ConnectionString(config);
        if (string.IsNullOrWhiteSpace(postgres))
        {
            services.AddSingleton<IPlanningLeases, SingleNodePlanning>();
            services.AddSingleton<IJobLeases, SingleNodeJobs>();
            return services;
        }
        var callTimeout = TimeSpan.FromSeconds(config.GetValue("Ocpp:CallTimeoutSeconds", 30));
        services.AddSingleton(_ => new ClusterDatabase(NpgsqlDataSource.Create(postgres)));
        services.AddSingleton(sp => new PgBus(sp.GetRequiredService<ClusterDatabase>().Source, sp.GetRequiredService<NodeIdentity>(),
            sp.GetRequiredService<ILogger<PgBus>>()));
        services.AddSingleton(sp => new PgLeases(sp.GetRequiredService<ClusterDatabase>().Source, sp.GetRequiredService<PgBus>(),
            sp.GetRequiredService<NodeIdentity>(), sp.GetRequiredService<ILogger<PgLeases>>()));
        services.AddSingleton<IPlanningLeases>(sp => sp.GetRequiredService<PgLeases>());
        services.AddSingleton<IJobLeases>(sp => sp.GetRequiredService<PgLeases>());
        services.AddSingleton(sp => new ChargerPresence(sp.GetRequiredService<ClusterDatabase>().Source, sp.GetRequiredService<PgBus>(),
            sp.GetRequiredService<ChargerGateway>(), sp.GetRequiredService<Cms.Core.Storage.Database>(),
            sp.GetRequiredService<ILogger<ChargerPresence>>()));
        // The other node waits its own call timeout for the charger; this one waits that plus a margin for the bus.
        services.AddSingleton(sp => new ClusterChargerGateway(sp.GetRequiredService<ChargerGateway>(), sp.GetRequiredService<ChargerPresence>(),
            sp.GetRequiredService<PgBus>(), callTimeout + TimeSpan.FromSeconds(10), sp.GetRequiredService<ILogger<ClusterChargerGateway>>()));
        services.AddSingleton<IChargerGateway>(sp => sp.GetRequiredService<ClusterChargerGateway>());
        services.AddHostedService<ClusterService>();
        return services;
    }
}
