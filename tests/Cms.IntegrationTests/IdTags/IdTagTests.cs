using Cms.IntegrationTests.Harness;
using Cms.IntegrationTests.Vehicles;
using Microsoft.Extensions.Time.Testing;
using Newtonsoft.Json.Linq;

namespace Cms.IntegrationTests.IdTags;

public sealed class IdTagTests
{
    private static readonly string[] AllFields =
    [
        "id", "created", "updated", "value", "priority", "group", "vehicleId", "listVersion", "customGroup",
        "status", "expiryDate", "parentIdTag", "vehicleName",
    ];

    [Fact]
    public async Task The_specs_create_and_update_samples_work_and_delete_answers_the_tag()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.Parse("2024-03-01T10:00:00+00:00"));
        await using var host = await TestHost.StartAsync(clock);
        var vehicle = await host.Admin.Create("/v2/vehicles", new { name = "Bus 7" });

        var created = await host.Admin.Post("/v2/id_tags/", $$"""
            {"value": "FHH92JFNMSK93", "priority": 5, "group": "RFID", "vehicleId": "{{vehicle["id"]}}", "listVersion": 4, "customGroup": "Depot One Group"}
            """);

        Assert.Equal(201, created.Status);
        var tag = created.First;
        Assert.Equal(AllFields.Order(), tag.Properties().Select(p => p.Name).Order());
        Assert.Equal("FHH92JFNMSK93", (string?)tag["value"]);
        Assert.Equal(5, (long)tag["priority"]!);
        Assert.Equal("RFID", (string?)tag["group"]);
        Assert.Equal((string?)vehicle["id"], (string?)tag["vehicleId"]);
        Assert.Equal("Bus 7", (string?)tag["vehicleName"]);
        Assert.Equal(4, (long)tag["listVersion"]!);
        Assert.Equal("Depot One Group", (string?)tag["customGroup"]);
        Assert.Equal("Accepted", (string?)tag["status"]);
        Assert.Equal(JTokenType.Null, tag["expiryDate"]!.Type);
        Assert.Equal(JTokenType.Null, tag["parentIdTag"]!.Type);
        Assert.Equal("2024-03-01T10:00:00.000000+00:00", (string?)tag["created"]);
        Assert.True(JToken.DeepEquals(tag, (await host.Admin.Get($"/v2/id_tags/{tag["id"]}")).First));

        clock.Advance(TimeSpan.FromMinutes(5));
        var updated = await host.Admin.Patch($"/v2/id_tags/{tag["id"]}", $$"""
            {"value": "FHH92JFNMSK93", "priority": 5, "group": "RFID", "vehicleId": "{{vehicle["id"]}}", "listVersion": 4, "customGroup": "Depot Two Group"}
            """);
        Assert.Equal(200, updated.Status);
        Assert.Equal("Depot Two Group", (string?)updated.First["customGroup"]);
        Assert.Equal("2024-03-01T10:05:00.000000+00:00", (string?)updated.First["updated"]);

        var blocked = await host.Admin.Patch($"/v2/id_tags/{tag["id"]}",
            new { status = "Blocked", expiryDate = "2025-01-01T00:00:00+01:00", parentIdTag = "FLEET-1", vehicleId = (string?)null, priority = (int?)null });
        Assert.Equal(200, blocked.Status);
        Assert.Equal("Blocked", (string?)blocked.First["status"]);
        Assert.Equal("2024-12-31T23:00:00.000000+00:00", (string?)blocked.First["expiryDate"]);
        Assert.Equal("FLEET-1", (string?)blocked.First["parentIdTag"]);
        Assert.Equal(JTokenType.Null, blocked.First["vehicleId"]!.Type);
        Assert.Equal(JTokenType.Null, blocked.First["vehicleName"]!.Type);
        Assert.Equal(JTokenType.Null, blocked.First["priority"]!.Type);

        var deleted = await host.Admin.Delete($"/v2/id_tags/{tag["id"]}");
        Assert.Equal(200, deleted.Status);
        Assert.Equal((string?)tag["id"], (string?)deleted.First["id"]);
        Assert.Equal(404, (await host.Admin.Get($"/v2/id_tags/{tag["id"]}")).Status);
        Assert.Equal(0, (await host.Admin.Get("/v2/id_tags")).Total);
    }

    [Fact]
    public async Task Priority_defaults_to_3_and_status_to_Accepted()
    {
        await using var host = await TestHost.StartAsync();
        var tag = await host.Admin.Create("/v2/id_tags", new { value = "04A2B3C4", group = "VID or MAC address" });
        Assert.Equal(3, (long)tag["priority"]!);
        Assert.Equal("Accepted", (string?)tag["status"]);
        Assert.Equal(JTokenType.Null, tag["vehicleId"]!.Type);
        Assert.Equal(JTokenType.Null, tag["customGroup"]!.Type);
    }

    [Theory]
    [InlineData("""{"group": "RFID"}""", "value")]
    [InlineData("""{"value": "A", "group": "NFC"}""", "group")]
    [InlineData("""{"value": "A"}""", "group")]
    [InlineData("""{"value": "123456789012345678901", "group": "RFID"}""", "value")]
    [InlineData("""{"value": "", "group": "RFID"}""", "value")]
    [InlineData("""{"value": "A", "group": "RFID", "priority": 6}""", "priority")]
    [InlineData("""{"value": "A", "group": "RFID", "priority": -1}""", "priority")]
    [InlineData("""{"value": "A", "group": "RFID", "priority": 2.5}""", "priority")]
    [InlineData("""{"value": "A", "group": "RFID", "vehicleId": "nope"}""", "vehicleId")]
    [InlineData("""{"value": "A", "group": "RFID", "vehicleId": "33fe5b42-f717-43f6-ba0a-eab4cae81bfa"}""", "vehicleId")]
    [InlineData("""{"value": "A", "group": "RFID", "listVersion": "4"}""", "listVersion")]
    [InlineData("""{"value": "A", "group": "RFID", "status": "ConcurrentTx"}""", "status")]
    [InlineData("""{"value": "A", "group": "RFID", "expiryDate": "soon"}""", "expiryDate")]
    [InlineData("""{"value": "A", "group": "RFID", "parentIdTag": "123456789012345678901"}""", "parentIdTag")]
    [InlineData("""{"value": "A", "group": "RFID", "vehicleName": "x"}""", "vehicleName")]
    [InlineData("""{"value": "A", "group": "RFID", "idTag": "x"}""", "idTag")]
    [InlineData("""{"value": "existing", "group": "RFID"}""", "value")]
    public async Task A_bad_field_is_named_and_nothing_is_stored(string body, string field)
    {
        await using var host = await TestHost.StartAsync();
        var kept = await host.Admin.Create("/v2/id_tags", new { value = "EXISTING", group = "RFID" });
        var other = await host.Admin.Create("/v2/id_tags", new { value = "OTHER", group = "RFID" });

        var post = await host.Admin.Post("/v2/id_tags", body);
        Assert.True(post.Status is 400 or 409, post.ToString());
        Assert.NotNull(post.FailFor(field));
        Assert.Equal(2, await FleetTestData.CountRowsAsync(host, "id_tags"));

        if (!body.Contains($"\"{field}\"", StringComparison.Ordinal)) return; // a missing required field is fine on PATCH
        var patch = await host.Admin.Patch($"/v2/id_tags/{other["id"]}", body);
        Assert.True(patch.Status is 400 or 409, patch.ToString());
        Assert.NotNull(patch.FailFor(field));
        Assert.True(JToken.DeepEquals(other, (await host.Admin.Get($"/v2/id_tags/{other["id"]}")).First));
        Assert.True(JToken.DeepEquals(kept, (await host.Admin.Get($"/v2/id_tags/{kept["id"]}")).First));
    }

    [Fact]
    public async Task Lists_filter_by_value_custom_group_priority_group_and_vehicle_with_search_sort_and_paging()
    {
        await using var host = await TestHost.StartAsync();
        var alpha = (string)(await host.Admin.Create("/v2/vehicles", new { name = "Alpha truck" }))["id"]!;
        var beta = (string)(await host.Admin.Create("/v2/vehicles", new { name = "Beta van" }))["id"]!;
        var rows = new (string Value, int Priority, string Group, string? Vehicle, string? Custom)[]
        {
            ("T1", 1, "RFID", alpha, "Depot One"),
            ("T2", 2, "RFID", beta, "Depot Two"),
            ("T3", 3, "credit card reader", null, "Depot One"),
            ("T4", 4, "VID or MAC address", alpha, null),
            ("T5", 5, "VID or MAC address", null, "Depot Three"),
        };
        foreach (var r in rows)
            await host.Admin.Create("/v2/id_tags", new { value = r.Value, priority = r.Priority, group = r.Group, vehicleId = r.Vehicle, customGroup = r.Custom });

        async Task<List<string?>> Values(string query)
        {
            var response = await host.Admin.Get("/v2/id_tags?sort=value:asc&" + query);
            Assert.True(response.Status == 200, response.ToString());
            Assert.Equal(response.Data.Count, response.Total);
            return response.Strings("value");
        }

        Assert.Equal(["T1", "T2", "T3", "T4", "T5"], await Values(""));
        Assert.Equal(["T3"], await Values("value=t3"));
        Assert.Equal(["T1", "T3"], await Values("customGroup=Depot%20One"));
        Assert.Equal(["T1", "T2", "T3"], await Values("customGroup=Depot%20One&customGroup=Depot%20Two"));
        Assert.Equal(["T2", "T4"], await Values("priority=2&priority=4"));
        Assert.Equal(["T4", "T5"], await Values("group=VID%20or%20MAC%20address"));
        Assert.Equal(["T1", "T2", "T3"], await Values("group=RFID&group=credit%20card%20reader"));
        Assert.Equal(["T1", "T4"], await Values($"vehicleId={alpha}"));
        Assert.Equal(["T1", "T2", "T4"], await Values($"vehicleId={alpha}&vehicleId={beta}"));
        Assert.Equal(["T2"], await Values("search=beta"));
        Assert.Equal(["T4"], await Values("search=t4"));
        Assert.Equal(["T1", "T4"], await Values("search=alpha"));

        Assert.NotNull((await host.Admin.Get("/v2/id_tags?priority=7")).FailFor("priority"));
        Assert.NotNull((await host.Admin.Get("/v2/id_tags?group=NFC")).FailFor("group"));
        Assert.NotNull((await host.Admin.Get("/v2/id_tags?vehicleId=x")).FailFor("vehicleId"));
        Assert.NotNull((await host.Admin.Get("/v2/id_tags?colour=red")).FailFor("colour"));

        var page = await host.Admin.Get("/v2/id_tags?sort=priority:desc&limit=2&offset=1");
        Assert.Equal(5, page.Total);
        Assert.Equal(["T4", "T3"], page.Strings("value"));
        Assert.Equal(["T2", "T5", "T3", "T1", "T4"], (await host.Admin.Get("/v2/id_tags?sort=customGroup:desc,value:desc")).Strings("value"));
        Assert.Equal(["T3", "T5", "T4", "T2", "T1"], (await host.Admin.Get("/v2/id_tags?sort=group:desc,value:desc")).Strings("value"));
        Assert.Equal(["T1", "T4", "T2"], (await host.Admin.Get($"/v2/id_tags?vehicleId={alpha}&vehicleId={beta}&sort=vehicleName:asc,value:asc")).Strings("value"));
        Assert.NotNull((await host.Admin.Get("/v2/id_tags?sort=colour:asc")).FailFor("sort"));
    }

    [Fact]
    public async Task Custom_groups_lists_distinct_groups_of_this_customer_only()
    {
        await using var host = await TestHost.StartAsync();
        var n = 0;
        foreach (var customGroup in new[] { "Depot B", "Depot A", "Depot B", null })
            await host.Admin.Create("/v2/id_tags", new { value = "T" + n++, group = "RFID", customGroup });
        using var other = await SecondCustomer.CreateAsync(host, "othertags");
        await other.Create("/v2/id_tags", new { value = "T0", group = "RFID", customGroup = "Secret" }); // same value, other customer: fine

        foreach (var path in new[] { "/v2/id_tags/custom_groups", "/v2/id_tags/custom_groups/" })
        {
            var groups = await host.Admin.Get(path);
            Assert.Equal(200, groups.Status);
            Assert.Equal(2, groups.Total);
            Assert.Equal(["Depot A", "Depot B"], groups.Data.Select(g => (string?)g).ToList());
        }
        Assert.Equal(["Secret"], (await other.Get("/v2/id_tags/custom_groups")).Data.Select(g => (string?)g).ToList());
    }

    [Fact]
    public async Task Tag_values_are_unique_per_customer_whatever_their_case()
    {
        await using var host = await TestHost.StartAsync();
        await host.Admin.Create("/v2/id_tags", new { value = "abc123", group = "RFID" });
        var duplicate = await host.Admin.Post("/v2/id_tags", new { value = "ABC123", group = "RFID" });
        Assert.Equal(409, duplicate.Status);
        Assert.NotNull(duplicate.FailFor("value"));
        Assert.Equal(1, (await host.Admin.Get("/v2/id_tags")).Total);
    }

    [Fact]
    public async Task Deleting_a_vehicle_unlinks_its_tags()
    {
        await using var host = await TestHost.StartAsync();
        var vehicle = await host.Admin.Create("/v2/vehicles", new { name = "Gone" });
        var tag = await host.Admin.Create("/v2/id_tags", new { value = "LINKED", group = "RFID", vehicleId = (string)vehicle["id"]! });
        Assert.Equal(200, (await host.Admin.Delete($"/v2/vehicles/{vehicle["id"]}")).Status);
        var after = (await host.Admin.Get($"/v2/id_tags/{tag["id"]}")).First;
        Assert.Equal(JTokenType.Null, after["vehicleId"]!.Type);
        Assert.Equal(JTokenType.Null, after["vehicleName"]!.Type);
    }

    [Fact]
    public async Task Without_a_token_answers_401_and_a_read_only_user_can_read_but_not_write()
    {
        await using var host = await TestHost.StartAsync();
        var tag = await host.Admin.Create("/v2/id_tags", new { value = "CARD", group = "RFID" });
        using var anonymous = host.Client(null!);
        Assert.Equal(401, (await anonymous.Get("/v2/id_tags")).Status);
        Assert.Equal(401, (await anonymous.Get("/v2/id_tags/custom_groups")).Status);
        Assert.Equal(401, (await anonymous.Post("/v2/id_tags", new { value = "X", group = "RFID" })).Status);

        using var viewer = await FleetTestData.ReadOnlyClientAsync(host);
        Assert.Equal(1, (await viewer.Get("/v2/id_tags")).Total);
        Assert.Equal(403, (await viewer.Post("/v2/id_tags", new { value = "X", group = "RFID" })).Status);
        Assert.Equal(403, (await viewer.Patch($"/v2/id_tags/{tag["id"]}", new { status = "Blocked" })).Status);
        Assert.Equal(403, (await viewer.Delete($"/v2/id_tags/{tag["id"]}")).Status);
        var after = await host.Admin.Get("/v2/id_tags");
        Assert.Equal(1, after.Total);
        Assert.True(JToken.DeepEquals(tag, after.First));
    }

    [Fact]
    public async Task Another_customers_tag_answers_404_and_their_vehicles_cannot_be_linked()
    {
        await using var host = await TestHost.StartAsync();
        var mine = await host.Admin.Create("/v2/id_tags", new { value = "MINE", group = "RFID" });
        using var other = await SecondCustomer.CreateAsync(host, "rivaltags");
        var theirVehicle = await other.Create("/v2/vehicles", new { name = "Theirs" });

        Assert.Equal(0, (await other.Get("/v2/id_tags")).Total);
        Assert.Equal(404, (await other.Get($"/v2/id_tags/{mine["id"]}")).Status);
        Assert.Equal(404, (await other.Patch($"/v2/id_tags/{mine["id"]}", new { status = "Blocked" })).Status);
        Assert.Equal(404, (await other.Delete($"/v2/id_tags/{mine["id"]}")).Status);
        var link = await host.Admin.Patch($"/v2/id_tags/{mine["id"]}", new { vehicleId = (string)theirVehicle["id"]! });
        Assert.Equal(400, link.Status);
        Assert.NotNull(link.FailFor("vehicleId"));
        Assert.True(JToken.DeepEquals(mine, (await host.Admin.Get($"/v2/id_tags/{mine["id"]}")).First));
    }
}
