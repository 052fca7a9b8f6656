package dev.shepherd.langchain4j.testing;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class WordTokenizerTest {

    @Test
    void should_attach_leading_whitespace_to_each_word() {
        assertThat(WordTokenizer.tokens("  two words\nhere ")).containsExactly("  two", " words", "\nhere");
        assertThat(WordTokenizer.count("")).isZero();
        assertThat(WordTokenizer.count(null)).isZero();
    }

    @Test
    void should_truncate_to_the_first_n_tokens_exactly() {
        assertThat(WordTokenizer.truncate("The large model answer", 3)).isEqualTo("The large model");
        assertThat(WordTokenizer.truncate("short", 3)).isEqualTo("short");
        // concatenating all tokens restores the text up to trailing whitespace
        assertThat(WordTokenizer.truncate(" a  b\tc ", 99)).isEqualTo(" a  b\tc");
    }
}
