package dev.skyfold.testsupport.loopback;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import org.assertj.core.api.ThrowingConsumer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * How the server tests talk to a server: plain HTTP/1.1 and TCP on {@code 127.0.0.1},
 * with timeouts; and what they check of every server.
 */
final class Loopback {

	private static final HttpClient client = HttpClient.newBuilder()
		.version(HttpClient.Version.HTTP_1_1)
		.connectTimeout(Duration.ofSeconds(5))
		.build();

	private Loopback() {
	}

	static HttpResponse<String> get(URI uri) throws IOException, InterruptedException {
		return send(HttpRequest.newBuilder(uri));
	}

	static HttpResponse<String> send(HttpRequest.Builder request) throws IOException, InterruptedException {
		return client.send(request.timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
	}

	/**
	 * Starts a second server next to a running one, checks that it answers on a port of
	 * its own, closes it and checks that the port is free again.
	 */
	static <S extends LoopbackProcessServer<S>> void assertSecondServerOwnsItsPort(S running, S second,
			ThrowingConsumer<S> answers) {
		int port;
		try (S started = second.start()) {
			port = started.port();
			assertThat(port).isNotEqualTo(running.port());
			answers.accept(started);
		}
		assertThat(accepts(port)).as("something still listens on port %d after close()", port).isFalse();
	}

	/**
	 * Whether something accepts connections on a port of {@code 127.0.0.1}.
	 */
	static boolean accepts(int port) {
		try (Socket socket = new Socket()) {
			socket.connect(new InetSocketAddress("127.0.0.1", port), 2000);
			return true;
		}
		catch (IOException ex) {
			return false;
		}
	}

}
