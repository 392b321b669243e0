package io.orrery.gateway.internal.http;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Which request content types the JSON and the archive endpoints take (415 for the rest; none at all is tolerated). */
class MediaTypesTest {

    @ParameterizedTest
    @NullSource
    @ValueSource(strings = {"application/json", "Application/JSON", "application/json; charset=utf-8", ""})
    void jsonEndpointsTakeJson(String type) {
        assertThatCode(() -> MediaTypes.requireJson(type)).doesNotThrowAnyException();
    }

    @ParameterizedTest
    @ValueSource(strings = {"text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=z",
            "application/java-archive", "application/xml", "/////", "text/json-ish",
            // What the endpoints declare (consumes application/json) is what they take, as Camel's binding matches it.
            "application/merge-patch+json", "application/problem+json;charset=UTF-8"})
    void jsonEndpointsRefuseTheRest(String type) {
        assertThatThrownBy(() -> MediaTypes.requireJson(type)).isInstanceOfSatisfying(ApiProblem.class,
                p -> org.assertj.core.api.Assertions.assertThat(p.status()).isEqualTo(415));
    }

    @ParameterizedTest
    @NullSource
    @ValueSource(strings = {"application/java-archive", "application/x-java-archive", "application/zip",
            "application/octet-stream", "APPLICATION/ZIP; foo=bar"})
    void uploadsTakeArchives(String type) {
        assertThatCode(() -> MediaTypes.requireArchive(type)).doesNotThrowAnyException();
    }

    @ParameterizedTest
    @ValueSource(strings = {"application/json", "text/plain", "application/x-java-serialized-object",
            "multipart/form-data"})
    void uploadsRefuseTheRest(String type) {
        assertThatThrownBy(() -> MediaTypes.requireArchive(type)).isInstanceOfSatisfying(ApiProblem.class,
                p -> org.assertj.core.api.Assertions.assertThat(p.status()).isEqualTo(415));
    }
}
