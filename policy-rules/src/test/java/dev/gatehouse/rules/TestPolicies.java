package dev.gatehouse.rules;

import dev.gatehouse.model.DecisionRequest;
import dev.gatehouse.model.json.InvalidInputException;
import dev.gatehouse.model.json.RequestReader;
import dev.gatehouse.rules.drools.DroolsPolicyCompiler;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/** Test policy sets under src/test/resources/policies, compiled for real by Drools. */
final class TestPolicies {

  private TestPolicies() {}

  static Path dir(String name) {
    try {
      return Path.of(TestPolicies.class.getResource("/policies/" + name).toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  static CompileResult compile(String name, EvaluationLimits limits) throws IOException {
    return new DroolsPolicyCompiler(limits).compile(PolicyFiles.read(dir(name)));
  }

  static PolicySet set(String name) throws IOException {
    return compile(name, EvaluationLimits.DEFAULT).policySet().orElseThrow();
  }

  static DecisionRequest request(String json) throws InvalidInputException {
    return new RequestReader().readRequest(json.replace('\'', '"').getBytes(StandardCharsets.UTF_8));
  }
}
