package dev.shepherd.cli.eval;

import dev.shepherd.cli.SharedFiles;
import dev.shepherd.cli.dataset.Dataset;
import dev.shepherd.cli.dataset.DatasetReader;
import dev.shepherd.cli.dataset.Example;
import dev.shepherd.cli.dataset.TaskKind;
import dev.shepherd.cli.sandbox.PythonSandbox;
import dev.shepherd.core.Query;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class JudgeTest {

    final Judge judge = new Judge(() -> PythonSandbox.create(Duration.ofSeconds(10), 512L << 20));

    @Test
    void should_match_math_answers_by_final_number() {
        // given
        Example ex = new Example(Query.of("m", "2+2?", "4"), TaskKind.MATH, null, "t:1");
        // when / then
        assertThat(judge.score(ex, "2 plus 2 makes 4.\n#### 4")).isEqualTo(1.0);
        assertThat(judge.score(ex, "The answer is 5")).isEqualTo(0.0);
    }

    @Test
    void should_pass_humaneval_canonical_solution_and_fail_a_wrong_one() {
        // given
        assumeTrue(PythonSandbox.findPython().isPresent(), "skipped: python3 is not on the PATH");
        Dataset he = DatasetReader.read(SharedFiles.require("data/HumanEval.jsonl.gz"), null);
        Example first = he.examples().get(0);
        // when: the canonical solution (gold = prompt + solution) in a fenced block, and a wrong body
        double right = judge.score(first, "```python\n" + first.query().gold() + "\n```");
        double wrong = judge.score(first, "```python\n" + first.query().text() + "    return False\n```");
        // then
        assertThat(right).isEqualTo(1.0);
        assertThat(wrong).isEqualTo(0.0);
    }

    @Test
    void should_pass_mbpp_reference_code_against_its_asserts() {
        // given
        assumeTrue(PythonSandbox.findPython().isPresent(), "skipped: python3 is not on the PATH");
        Example first = DatasetReader.read(SharedFiles.require("data/mbpp.jsonl"), null).examples().get(0);
        // when / then
        assertThat(judge.score(first, first.query().gold())).isEqualTo(1.0);
        assertThat(judge.score(first, "def min_cost(cost, m, n):\n    return 0\n")).isEqualTo(0.0);
    }
}
