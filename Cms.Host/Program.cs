using Cms.Host;
using Cms.Host.Commands;

if (args.Length > 0 && args[0] == "simulate") return await SimulateCommand.RunAsync(args[1..]);
var app = await AmpCmsApp.BuildAsync(args);
await app.RunAsync();
return 0;
