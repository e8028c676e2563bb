namespace JitNotebooks.Tests.Assets;

/// <summary>
/// Files under assets/ that are generated from the library (diagrams, the exercise catalog): a test
/// compares each with the generator's output; with the variable below set, it rewrites them instead.
/// </summary>
internal static class AssetFiles
{
    public const string UpdateVariable = "JITNOTEBOOKS_UPDATE_ASSETS";

    public const string UpdateCommand =
        UpdateVariable + "=1 dotnet test tests/JitNotebooks.Tests --filter \"FullyQualifiedName~GeneratedAsset\"";

    /// <summary>True when the run should rewrite the generated files rather than compare them.</summary>
    public static bool Updating => Environment.GetEnvironmentVariable(UpdateVariable) == "1";
}
