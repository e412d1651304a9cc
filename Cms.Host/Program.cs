using Cms.Host;

var app = await AmpCmsApp.BuildAsync(args);
await app.RunAsync();
