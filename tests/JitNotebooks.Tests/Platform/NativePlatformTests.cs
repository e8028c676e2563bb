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
    public void On_another_machine_every_call_path_falls_back_to_the_emulator()
    {
        using var memory = ExecutableMemory.Create([0xC3]); // made before pretending: stays native
        using (NativePlatform.SimulateUnsupportedMachine())
        {
            Assert.Equal(ExecutionMode.Emulated, NativePlatform.Mode);
            Assert.False(NativePlatform.CanRunJitCode); // raw function pointers must not be called
            Assert.Contains("cannot run x86-64 code natively", NativePlatform.Describe());
            Assert.Contains("emulator", NativePlatform.EmulationNote);
            Assert.Throws<PlatformNotSupportedException>(() => NativePlatform.ThrowIfUnsupported("Calling through a raw function pointer"));

            using var hello = ExecutableMemory.Create(HelloWorldProgram.Packed());
            Assert.Equal("Hello World!", hello.RunCapturingStdout().Text);
            Assert.Equal(12, StdoutCapture.Run(() => hello.Call()).Result);
            using var staging = ExecutableMemory.MapWritable(1);
            Assert.Equal("rw-p", staging.ReadMapsEntry()!.Permissions);
            using var rwx = ExecutableMemory.CreateReadWriteExecute_ArticleDemo([0xC3]);
            Assert.Equal("rwxp", rwx.ReadMapsEntry()!.Permissions);
            Assert.All(ProcMaps.ReadSelf(), e => Assert.Equal("[emulated]", e.Path));
            memory.CallVoid();
        }
        Assert.Equal(ExecutionMode.Native, NativePlatform.Mode); // the pretence ended with the scope
        memory.CallVoid();
    }

    [Theory]
    [InlineData("1", true)]
    [InlineData("true", true)]
    [InlineData(" YES ", true)]
    [InlineData("0", false)]
    [InlineData("", false)]
    [InlineData(null, false)]
    public void JITNOTEBOOKS_EMULATE_forces_emulation_with_1_true_or_yes(string? value, bool forced) =>
        Assert.Equal(forced, NativePlatform.IsForced(value));

    [Fact]
    public void Each_mode_is_described_in_a_sentence()
    {
        Assert.Contains("can run the course's JIT'd code natively", NativePlatform.Describe(ExecutionMode.Native, true, "Linux", "X64"));
        Assert.Contains("JITNOTEBOOKS_EMULATE=1 asks for the built-in x86-64 emulator", NativePlatform.Describe(ExecutionMode.Emulated, true, "Linux", "X64"));
        Assert.Contains("cannot run x86-64 code natively", NativePlatform.Describe(ExecutionMode.Emulated, false, "Darwin", "Arm64"));
        Assert.StartsWith("Note: Darwin on Arm64 cannot run x86-64 code natively", NativePlatform.Note(false, "Darwin", "Arm64"));
        Assert.StartsWith("Note: JITNOTEBOOKS_EMULATE=1", NativePlatform.Note(true, "Linux", "X64"));
    }
}
