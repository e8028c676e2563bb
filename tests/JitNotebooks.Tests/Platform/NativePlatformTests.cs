using System.Runtime.InteropServices;

namespace JitNotebooks.Tests.Platform;

public class NativePlatformTests
{
    [Theory]
    [InlineData(true, Architecture.X64, true)]
    [InlineData(true, Architecture.Arm64, false)]
    [InlineData(true, Architecture.X86, false)]
    [InlineData(false, Architecture.X64, false)]
    [InlineData(false, Architecture.Arm64, false)]
    public void Only_Linux_on_x86_64_runs_the_code(bool isLinux, Architecture arch, bool supported)
    {
        Assert.Equal(supported, NativePlatform.IsSupported(isLinux, arch));
    }

    [Fact]
    public void This_machine_is_Linux_x86_64_and_says_so()
    {
        Assert.True(OperatingSystem.IsLinux());
        Assert.Equal(Architecture.X64, RuntimeInformation.ProcessArchitecture);
        Assert.True(NativePlatform.CanRunJitCode);
        Assert.Contains("can run", NativePlatform.Describe());
    }

    [Theory]
    [InlineData("Microsoft Windows 10.0.19045", "X64")]
    [InlineData("Darwin 23.4.0 Darwin Kernel Version 23.4.0", "Arm64")]
    [InlineData("Ubuntu 24.04 LTS", "Arm64")]
    public void The_message_names_the_machine_what_still_works_and_where_to_run(string os, string arch)
    {
        string m = NativePlatform.UnsupportedMessage("Mapping executable memory", os, arch);
        Assert.StartsWith("Mapping executable memory needs Linux on x86-64", m);
        Assert.Contains(os, m);
        Assert.Contains(arch, m);
        Assert.Contains("MovImm32", m);
        Assert.Contains("CodeBuilder", m);
        Assert.Contains("packing", m);
        Assert.Contains("listings", m);
        Assert.Contains("WSL2", m);

        string d = NativePlatform.Describe(false, os, arch);
        Assert.Contains("cannot run", d);
        Assert.Contains("Encoding, patching, packing and listings still work", d);
    }

    [Fact]
    public void Every_native_entry_point_checks_the_platform_first()
    {
        using var memory = ExecutableMemory.Create([0xC3]); // made before pretending
        using var staging = ExecutableMemory.MapWritable(1);
        Action[] entryPoints =
        [
            () => ExecutableMemory.Create([0xC3]),
            () => ExecutableMemory.MapWritable(1),
            () => ExecutableMemory.CreateReadWriteExecute_ArticleDemo([0xC3]),
            () => ProcMaps.ReadSelf(),
            () => ProcMaps.Find(memory.Address),
            () => staging.ReadMapsEntry(),
            () => memory.ReadMapsEntry(),
            () => StdoutCapture.Run(() => { }),
            () => StdoutCapture.Run(() => 1),
            () => memory.CallVoid(),
            () => memory.Call(),
            () => memory.Call(1),
            () => memory.Call(1, 2),
            () => memory.Call(1, 2, 3),
            () => memory.Call(1, 2, 3, 4),
            () => memory.Call(1, 2, 3, 4, 5),
            () => memory.Call(1, 2, 3, 4, 5, 6),
            () => memory.RunCapturingStdout(),
        ];
        using (NativePlatform.SimulateUnsupportedMachine())
        {
            Assert.False(NativePlatform.CanRunJitCode);
            Assert.Contains("cannot run", NativePlatform.Describe());
            foreach (var entry in entryPoints)
            {
                var e = Assert.Throws<PlatformNotSupportedException>(entry);
                Assert.Contains("needs Linux on x86-64", e.Message);
            }
        }
        Assert.True(NativePlatform.CanRunJitCode); // the pretence ended with the scope
        memory.CallVoid();
    }
}
