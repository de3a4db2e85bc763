package dev.gatehouse.server.http;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.util.RawValue;
import dev.gatehouse.model.json.InvalidInputException;
import dev.gatehouse.model.json.Json;
import dev.gatehouse.rules.workspace.Caller;
import dev.gatehouse.server.decide.DecisionService;
import dev.gatehouse.server.decide.PoliciesUnavailableException;
import dev.gatehouse.server.metrics.ServerMetrics;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /v1/decisions/batch}: {@code {"requests": [...]}}, each request decided and logged by
 * the {@link DecisionService} exactly as {@code POST /v1/decisions} would decide it, answered in
 * order once every one of them is logged or refused. A request that fails gets its own status and
 * error body in its place; it never sinks the others.
 */
public final class BatchHandler {

  private static final Logger LOG = LoggerFactory.getLogger(BatchHandler.class);

  private final DecisionService decisions;
  private final ServerMetrics metrics;
  private final int limit;

  /** Answers with {@code decisions}, counted in {@code metrics}, at most {@code limit} requests a batch. */
  public BatchHandler(DecisionService decisions, ServerMetrics metrics, int limit) {
    this.decisions = decisions;
    this.metrics = metrics;
    this.limit = limit;
  }

  /** {@code POST /v1/decisions/batch} for the requests of one event loop (see {@link DecisionsHandler#on}). */
  public Handler<RoutingContext> on(Context eventLoop) {
    Executor executor = task -> eventLoop.runOnContext(ignored -> task.run());
    return ctx -> decide(ctx, eventLoop, executor);
  }

  private void decide(RoutingContext ctx, Context eventLoop, Executor executor) {
    long started = System.nanoTime();
    if (!decisions.ready()) {
      ctx.fail(new PoliciesUnavailableException());
      return;
    }
    List<byte[]> requests;
    try {
      requests = requests(JsonBodies.body(ctx));
    } catch (InvalidInputException e) {
      ctx.fail(e);
      return;
    }
    Caller caller = Principal.of(ctx).caller();
    ctx.vertx().executeBlocking(() -> {
      List<CompletableFuture<ObjectNode>> results = new ArrayList<>(requests.size());
      for (int i = 0; i < requests.size(); i++) {
        results.add(result(i, requests.get(i), caller, executor, started));
      }
      return CompletableFuture.allOf(results.toArray(CompletableFuture[]::new)).thenApply(all -> {
        ObjectNode body = Json.mapper().createObjectNode();
        ArrayNode answered = body.putArray("results");
        results.forEach(r -> answered.add(r.join()));
        return body;
      });
    }, false).compose(pending -> Future.fromCompletionStage(pending, eventLoop)).onComplete(outcome -> {
      if (outcome.succeeded()) {
        JsonBodies.send(ctx, 200, JsonBodies.encode(outcome.result()));
      } else {
        ctx.fail(outcome.cause());
      }
    });
  }

  /** The result of request {@code index}: never a failed future, since a failure is an answer too. */
  private CompletableFuture<ObjectNode> result(int index, byte[] request, Caller caller, Executor executor, long started) {
    CompletableFuture<DecisionService.Answer> answer;
    try {
      answer = decisions.decide(request, caller, executor);
    } catch (RuntimeException e) {
      answer = CompletableFuture.failedFuture(e);
    }
    return answer.handle((decided, failed) -> {
      ObjectNode result = Json.mapper().createObjectNode();
      if (failed == null) {
        metrics.decided(decided.decision(), System.nanoTime() - started);
        result.put("status", 200);
        result.putRawValue("decision", new RawValue(new String(decided.json(), StandardCharsets.UTF_8)));
        return result;
      }
      ApiException error = ErrorMapper.known(failed).orElseGet(() -> {
        LOG.error("request {} of a batch failed", index, failed);
        return new ApiException(500, "internal-error", "the server failed to answer; the error is in its log");
      });
      String path = "requests[" + index + "]" + (error.path() == null ? "" : "." + error.path());
      result.put("status", error.status());
      result.putPOJO("error", ErrorMapper.Error.of(new ApiException(error.status(), error.code(), error.getMessage(), path)));
      return result;
    });
  }

  /** Each request of the batch as a document of its own, read as strictly as a single request's body. */
  private List<byte[]> requests(byte[] body) throws InvalidInputException {
    JsonNode batch;
    try {
      batch = Json.mapper().readTree(body);
    } catch (JacksonException e) {
      throw new InvalidInputException("", Json.firstLine(e));
    } catch (IOException e) {
      throw new InvalidInputException("", "the batch could not be read");
    }
    if (batch == null || !batch.isObject()) {
      throw new InvalidInputException("", "the batch must be a JSON object: {\"requests\": [...]}");
    }
    for (var names = batch.fieldNames(); names.hasNext(); ) {
      String name = names.next();
      if (!name.equals("requests")) {
        throw new InvalidInputException(name, "unknown field '" + name + "'; a batch holds only 'requests'");
      }
    }
    JsonNode requests = batch.get("requests");
    if (requests == null || !requests.isArray()) {
      throw new InvalidInputException("requests", "requests must be an array of decision requests");
    }
    if (requests.size() > limit) {
      throw new InvalidInputException("requests", "a batch holds at most " + limit + " requests; this one holds "
          + requests.size());
    }
    List<byte[]> documents = new ArrayList<>(requests.size());
    for (JsonNode request : requests) {
      try {
        documents.add(Json.mapper().writeValueAsBytes(request));
      } catch (JacksonException e) {
        throw new IllegalStateException("a parsed request could not be written back", e);
      }
    }
    return documents;
  }
}
