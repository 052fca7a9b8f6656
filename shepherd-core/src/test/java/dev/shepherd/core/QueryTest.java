package dev.shepherd.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.shepherd.core.model.PromptMessage;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class QueryTest {

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {" ", "\n\t "})
    void should_reject_an_empty_or_blank_query_with_a_typed_exception(String text) {
        assertThatThrownBy(() -> Query.of(text))
                .isInstanceOf(InvalidQueryException.class)
                .isInstanceOf(ShepherdException.class)
                .hasMessageStartingWith("query.text must not be empty or blank but was ");
    }

    @Test
    void should_reject_an_over_long_query_without_truncating_it() {
        assertThatThrownBy(() -> Query.of("x".repeat(Query.MAX_CHARS + 1)))
                .isInstanceOf(InvalidQueryException.class)
                .hasMessage("query.text must be at most 200000 characters but was 200001");
        assertThat(Query.of("x".repeat(Query.MAX_CHARS)).text()).hasSize(Query.MAX_CHARS);
    }

    @Test
    void should_copy_its_context_and_shorten_its_string_form() {
        List<PromptMessage> context = new ArrayList<>(List.of(PromptMessage.system("s")));
        Query q = Query.of("id", "y".repeat(100), "g").withContext(context);
        context.clear();
        assertThat(q.context()).hasSize(1);
        assertThat(q.toString()).contains("id=id").contains("...").hasSizeLessThan(100);
        assertThat(Query.of("a").id()).isNotEqualTo(Query.of("a").id());
    }
}
