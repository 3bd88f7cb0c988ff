using AutoRefiner.Core.Model;
using AutoRefiner.Core.Text;
using AutoRefiner.Validator;

namespace AutoRefiner.Validator.Tests;

public sealed class DocCommentRowValidatorTests
{
    private const string Context = """
        public sealed class Ring
        {
            private readonly int[] _items = new int[8];
            private int _head;

            /// <summary>Number of items held.</summary>
            public int Count { get; private set; }

            /// <summary>Adds an item, overwriting the oldest once the ring is full.</summary>
            public void Push(int item)
            {
                throw new NotImplementedException();
            }
        }
        """;

    private const string Member = """
        public void Push(int item)
        {
            _items[(_head + Count) % _items.Length] = item;
            if (Count < _items.Length) { Count++; } else { _head = (_head + 1) % _items.Length; }
        }
        """;

    private readonly CompileValidator _validator = new(new RoslynCompiler());

    private static Candidate Row(string context, string response) => new()
    {
        Task = "doc-comments",
        Instruction = "Implement `Push`.\n\n" + CodeBlocks.Fence(context) + "\n\nAnswer with the member.",
        Response = response,
        Generator = "doc-comments",
        PromptVersion = "doc-comments/2",
        Provenance = new Provenance("o/r", "a.cs", "", "mit", ""),
        SeedId = "s",
    };

    [Fact]
    public async Task Validate_MemberThatCompilesInPlaceOfItsStub_Passes()
    {
        var judged = await _validator.ValidateAsync(Row(Context, CodeBlocks.Fence(Member)), default);

        Assert.Equal(Verdict.Passed, judged.Verdict);
    }

    [Fact]
    public async Task Validate_ConstructorAndOperatorMembers_Pass()
    {
        const string context = """
            public readonly struct Money
            {
                public Money(decimal amount, string currency)
                {
                    throw new NotImplementedException();
                }

                public decimal Amount { get; }

                public string Currency { get; }
            }
            """;
        const string ctor = """
            public Money(decimal amount, string currency)
            {
                ArgumentException.ThrowIfNullOrEmpty(currency);
                Amount = decimal.Round(amount, 2);
                Currency = currency.ToUpperInvariant();
            }
            """;

        var judged = await _validator.ValidateAsync(Row(context, CodeBlocks.Fence(ctor)), default);

        Assert.Equal(Verdict.Passed, judged.Verdict);
    }

    [Fact]
    public async Task Validate_MemberThatDoesNotCompileInPlace_IsACompileError()
    {
        var judged = await _validator.ValidateAsync(Row(Context, CodeBlocks.Fence(Member.Replace("_head", "_tail", StringComparison.Ordinal))), default);

        Assert.Equal(Verdict.CompileError, judged.Verdict);
        Assert.Contains("in place of its stub", judged.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Validate_ContextThatDoesNotCompile_IsACompileError()
    {
        var judged = await _validator.ValidateAsync(Row(Context.Replace("int[]", "Missing[]", StringComparison.Ordinal), CodeBlocks.Fence(Member)), default);

        Assert.Equal(Verdict.CompileError, judged.Verdict);
        Assert.Contains("the context does not compile", judged.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Validate_ResponseWithTwoMembers_IsUnparseable()
    {
        var judged = await _validator.ValidateAsync(Row(Context, CodeBlocks.Fence(Member + "\npublic void Clear() { Count = 0; }\n")), default);

        Assert.Equal(Verdict.Unparseable, judged.Verdict);
        Assert.Contains("exactly one", judged.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Validate_ResponseWithTwoBlocks_IsUnparseable()
    {
        var judged = await _validator.ValidateAsync(Row(Context, CodeBlocks.Fence(Member) + "\n" + CodeBlocks.Fence("// usage")), default);

        Assert.Equal(Verdict.Unparseable, judged.Verdict);
    }

    [Fact]
    public async Task Validate_BodyShownInTheInstruction_IsUnparseable()
    {
        var leaky = Context.Replace("/// <summary>Number", "// _items[(_head + Count) % _items.Length] = item;\n    if (Count < _items.Length) { Count++; } else { _head = (_head + 1) % _items.Length; }\n    /// <summary>Number", StringComparison.Ordinal);

        var judged = await _validator.ValidateAsync(Row(leaky, CodeBlocks.Fence(Member)), default);

        Assert.Equal(Verdict.Unparseable, judged.Verdict);
        Assert.Contains("body appears in the instruction", judged.Detail, StringComparison.Ordinal);
    }
}
