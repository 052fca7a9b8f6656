package dev.shepherd.cli.eval;

import dev.shepherd.cli.dataset.Example;
import dev.shepherd.cli.sandbox.PythonSandbox;
import dev.shepherd.cli.sandbox.SandboxResult;
import dev.shepherd.core.answer.AnswerExtractor;
import dev.shepherd.core.answer.QualityFunction;

import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The quality function φ per task kind: math by exact match of the extracted final number
 * ({@code AnswerExtractor.math()}), text by exact match of the normalised answer, code by running the extracted
 * program followed by the example's tests in the {@link PythonSandbox} (1.0 when every test passes).
 *
 * <p>Thread-safe; the sandbox is created on first use, so math-only runs need no {@code python3}.
 */
public final class Judge {

    private static final QualityFunction MATH = QualityFunction.exactMatch(AnswerExtractor.math());
    private static final QualityFunction TEXT = QualityFunction.exactMatch(AnswerExtractor.normalizedText());
    private static final AnswerExtractor CODE = AnswerExtractor.code();

    private final Supplier<PythonSandbox> sandboxFactory;
    private volatile PythonSandbox sandbox;

    /**
     * Creates a judge.
     *
     * @param sandboxFactory makes the sandbox for code tasks, called at most once
     */
    public Judge(Supplier<PythonSandbox> sandboxFactory) {
        this.sandboxFactory = Objects.requireNonNull(sandboxFactory, "sandboxFactory");
    }

    /**
     * Scores a response.
     *
     * @param example the example (gold answer, tests)
     * @param response the model's response
     * @return φ in [0, 1]
     */
    public double score(Example example, String response) {
        return switch (example.kind()) {
            case MATH -> MATH.score(example.query(), response);
            case TEXT -> TEXT.score(example.query(), response);
            case CODE -> code(example, response);
        };
    }

    private double code(Example example, String response) {
        Optional<String> program = CODE.extract(response);
        if (program.isEmpty()) {
            return 0.0;
        }
        String code = program.get();
        if (!code.contains("def ")) { // a bare function body (HumanEval-style completion): put it under the prompt
            code = example.query().text() + code;
        }
        SandboxResult r = sandbox().run(code + "\n\n" + example.testProgram());
        return r.passed() ? 1.0 : 0.0;
    }

    private PythonSandbox sandbox() {
        PythonSandbox s = sandbox;
        if (s == null) {
            synchronized (this) {
                if (sandbox == null) {
                    sandbox = sandboxFactory.get();
                }
                s = sandbox;
            }
        }
        return s;
    }
}
