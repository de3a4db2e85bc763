package dev.gatehouse.bench;

import dev.gatehouse.model.DecisionRequest;
import dev.gatehouse.model.Fact;
import dev.gatehouse.model.Request;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
import org.kie.api.KieBase;
import org.kie.api.KieServices;
import org.kie.api.builder.KieBuilder;
import org.kie.api.builder.KieFileSystem;
import org.kie.api.builder.Message;
import org.kie.api.builder.ReleaseId;
import org.kie.api.runtime.StatelessKieSession;

/**
 * The baseline the engine is measured against: the same rule files, built by Drools as a first
 * program would build them, and each decision a {@link StatelessKieSession} given the request and
 * every fact (a new session each time), with no trace, no checks, no time filter and no bounds. The
 * outcome is whether any rule denied.
 *
 * <p>"The same rules": the DSL files and the rule files that hold a rule of the gate (for the
 * bundled policies, {@code governance.dsl} and {@code execute.dslr}: exactly the rules of the
 * engine's own base for the gate), with deny and warn imported from {@link NaiveActions} instead of
 * Gatehouse's.
 */
public final class NaiveDrools {

  private final KieBase base;

  private NaiveDrools(KieBase base) {
    this.base = base;
  }

  /** Builds the baseline for {@code gate} from the policy directory {@code policies}. */
  public static NaiveDrools build(Path policies, String gate) throws IOException {
    KieServices kie = KieServices.Factory.get();
    ReleaseId id = kie.newReleaseId("dev.gatehouse.bench", "naive-" + UUID.randomUUID(), "1.0.0");
    KieFileSystem files = kie.newKieFileSystem();
    files.generateAndWritePomXML(id);
    List<Path> paths;
    try (Stream<Path> walk = Files.walk(policies)) {
      paths = walk.filter(Files::isRegularFile)
          .filter(p -> p.toString().endsWith(".dsl") || p.toString().endsWith(".dslr") || p.toString().endsWith(".drl"))
          .filter(p -> !policies.relativize(p).startsWith("tests"))
          .sorted().toList();
    }
    for (Path path : paths) {
      String text = Files.readString(path, StandardCharsets.UTF_8);
      if (!path.toString().endsWith(".dsl") && !text.contains("@gate(\"" + gate + "\")")) {
        continue;
      }
      text = text.replace("dev.gatehouse.rules.drools.RuleActions", NaiveActions.class.getName());
      files.write("src/main/resources/" + policies.relativize(path), kie.getResources()
          .newByteArrayResource(text.getBytes(StandardCharsets.UTF_8)));
    }
    KieBuilder builder = kie.newKieBuilder(files).buildAll();
    if (builder.getResults().hasMessages(Message.Level.ERROR)) {
      throw new IllegalStateException("the naive baseline does not build: " + builder.getResults().getMessages());
    }
    KieBase base = kie.newKieContainer(id).getKieBase();
    kie.getRepository().removeKieModule(id);
    return new NaiveDrools(base);
  }

  /** Whether {@code request} with {@code facts} is allowed: no rule denied. */
  public boolean allows(DecisionRequest request, List<? extends Fact> facts) {
    List<Object> all = new ArrayList<>(facts.size() + 1);
    all.add(Request.of(request));
    all.addAll(facts);
    NaiveActions.start();
    base.newStatelessKieSession().execute(all);
    return NaiveActions.denied().isEmpty();
  }

  /** The denies of the last decision on this thread, for checks. */
  public List<String> denied() {
    return List.copyOf(NaiveActions.denied());
  }
}
