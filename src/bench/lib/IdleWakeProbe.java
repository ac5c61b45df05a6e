import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Arrays;
import java.util.concurrent.Executors;

/**
 * The floor under the gateway's added latency on a machine whose cores idle between requests: a
 * bare JDK HttpClient (built as the gateway builds it: HTTP/1.1, a virtual-thread executor) sends
 * the same small POST to the bench mock back to back, then with a pause before each request, and
 * prints p50/p90 of each. No gateway is involved; the gap between the two rows is what waking the
 * client's threads (selector, executor, the caller) costs after an idle pause on this machine.
 *
 * <p>usage: java IdleWakeProbe.java URL [requests per phase] [pause ms]
 */
public final class IdleWakeProbe {
  private static final int WARMUP_REQUESTS = 3000;

  public static void main(String[] args) throws Exception {
    String url = args[0];
    int n = args.length > 1 ? Integer.parseInt(args[1]) : 200;
    int pauseMs = args.length > 2 ? Integer.parseInt(args[2]) : 50;
    HttpClient client =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .executor(Executors.newThreadPerTaskExecutor(Thread.ofVirtual().factory()))
            .build();
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(url))
            .header("Content-Type", "application/json")
            .POST(
                HttpRequest.BodyPublishers.ofString(
                    "{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"))
            .build();
    for (int i = 0; i < WARMUP_REQUESTS; i++) {
      exchange(client, request);
    }
    for (int round = 1; round <= 2; round++) {
      for (int pause : new int[] {0, pauseMs}) {
        long[] nanos = new long[n];
        for (int i = 0; i < n; i++) {
          if (pause > 0) {
            Thread.sleep(pause);
          }
          nanos[i] = exchange(client, request);
        }
        Arrays.sort(nanos);
        System.out.printf(
            "round %d, %s: p50 %.3f ms, p90 %.3f ms (%d requests)%n",
            round,
            pause == 0 ? "back to back" : pause + " ms pause before each",
            nanos[n / 2] / 1e6,
            nanos[n * 9 / 10] / 1e6,
            n);
      }
    }
  }

  private static long exchange(HttpClient client, HttpRequest request) throws Exception {
    long start = System.nanoTime();
    HttpResponse<byte[]> response = client.send(request, HttpResponse.BodyHandlers.ofByteArray());
    if (response.statusCode() != 200) {
      throw new IllegalStateException("mock answered " + response.statusCode());
    }
    return System.nanoTime() - start;
  }
}
