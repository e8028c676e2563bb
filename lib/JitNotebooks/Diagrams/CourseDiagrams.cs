using System.Text;

namespace JitNotebooks.Diagrams;

/// <summary>
/// The course's diagrams, each drawn from the library's own data (encodings, offsets, the compiler's
/// output), so a picture cannot disagree with the bytes. <see cref="WriteAll"/> saves them as
/// <c>assets/diagrams/*.svg</c>; a test keeps the committed files equal to what is drawn here.
/// </summary>
public static class CourseDiagrams
{
    /// <summary>Notebook 02: REX and ModRM bit by bit, for <c>mov $0x1,%rax</c> and <c>mov $-1,%r9</c>.</summary>
    public static SvgDiagram RexAndModRM() => EncodingDiagram.Create((Reg64.Rax, 1), (Reg64.R9, -1));

    /// <summary>Notebook 03: the Hello World program's layout and the RIP-relative arrow from the end of the lea to the text.</summary>
    public static SvgDiagram HelloWorldLayout() => ProgramLayoutDiagram.Create(HelloWorldProgram.Unpacked());

    /// <summary>Notebook 04: the packed program's bytes as 16-bit words, the article's order and the x86 order, and the int3 filler.</summary>
    public static SvgDiagram PackedWords() => WordPackingDiagram.Create(HelloWorldProgram.Packed());

    /// <summary>Notebook 05: the protection states of a mapping (RW → RX by mprotect, and the article's RWX), and the double mapping.</summary>
    public static SvgDiagram MemoryProtection() => ProtectionDiagram.Create();

    /// <summary>
    /// The callback's address baked into the diagram's copy of notebook 07's function: any value gives
    /// the same stack picture (only the movabs immediate changes), and a fixed one keeps the file stable.
    /// </summary>
    internal const long SampleCallbackAddress = 0x7f00_1234_5678;

    /// <summary>Notebook 07: the stack across push/call in the callback function, with the 16-byte boundaries.</summary>
    public static SvgDiagram StackAlignment() => StackDiagram.Create(SampleFunctions.CallBackCode(unchecked((nint)SampleCallbackAddress)).ToArray());

    /// <summary>The expression notebook 08's diagram walks through: two registers deep, with a literal and a parameter used in place.</summary>
    public const string CodegenExample = "(a + 3) * (b - c)";

    /// <summary>Notebook 08: an expression's tree, the registers of the evaluation stack, and the compiled bytes, step by step.</summary>
    public static SvgDiagram ExpressionCodegen(string source = CodegenExample) =>
        CodegenDiagram.Create(CodegenTrace.Of(Compiler.Parser.Parse(source, "a", "b", "c")), source);

    /// <summary>Every diagram, in course order.</summary>
    public static IReadOnlyList<SvgDiagram> All() =>
    [
        RexAndModRM(),
        HelloWorldLayout(),
        PackedWords(),
        MemoryProtection(),
        StackAlignment(),
        ExpressionCodegen(),
    ];

    /// <summary>Writes every diagram to <paramref name="directory"/> as <c>{Name}.svg</c> (UTF-8, \n line ends); returns the paths.</summary>
    public static IReadOnlyList<string> WriteAll(string directory)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        Directory.CreateDirectory(directory);
        var paths = new List<string>();
        foreach (var diagram in All())
        {
            string path = Path.Combine(directory, diagram.Name + ".svg");
            File.WriteAllText(path, diagram.Svg, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false));
            paths.Add(path);
        }
        return paths;
    }
}
