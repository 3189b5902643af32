using Build;
using Build.Host;

return CakeHost.Create()
    .UseContext<BuildContext>()
    .UseLifetime<BuildLifetime>()
    .Run(args);
