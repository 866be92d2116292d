package dev.skyfold.testsupport.loopback;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static dev.skyfold.testsupport.loopback.Loopback.assertSecondServerOwnsItsPort;
import static dev.skyfold.testsupport.loopback.Loopback.get;
import static dev.skyfold.testsupport.loopback.Loopback.send;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

class FirestoreEmulatorServerIntegrationTests {

	@RegisterExtension
	static final FirestoreEmulatorServer firestore = new FirestoreEmulatorServer();

	@Test
	void servesFirestoresRestApiOnLoopback() throws Exception {
		assertThat(firestore.hostPort()).isEqualTo("127.0.0.1:" + firestore.port());
		assertThat(firestore.endpoint()).isEqualTo(URI.create("http://127.0.0.1:" + firestore.port()));
		HttpResponse<String> created = createDocument(firestore, FirestoreEmulatorServer.PROJECT_ID, "notes", "n-1");
		assertThat(created.statusCode()).isEqualTo(200);
		assertThat(created.body())
			.contains("\"name\": \"projects/skyfold-test/databases/(default)/documents/notes/n-1\"");
		assertThat(readDocument(firestore, FirestoreEmulatorServer.PROJECT_ID, "notes", "n-1").statusCode())
			.isEqualTo(200);
	}

	@Test
	void clearsTheDocumentsOfOneProject() throws Exception {
		createDocument(firestore, FirestoreEmulatorServer.PROJECT_ID, "notes", "to-clear");
		createDocument(firestore, "other-project", "notes", "to-keep");

		firestore.clear();

		assertThat(readDocument(firestore, FirestoreEmulatorServer.PROJECT_ID, "notes", "to-clear").statusCode())
			.isEqualTo(404);
		assertThat(readDocument(firestore, "other-project", "notes", "to-keep").statusCode()).isEqualTo(200);
		firestore.clear("other-project");
		assertThat(readDocument(firestore, "other-project", "notes", "to-keep").statusCode()).isEqualTo(404);
	}

	@Test
	void refusesToClearSomethingThatIsNoProjectId() {
		assertThatIllegalArgumentException().isThrownBy(() -> firestore.clear("../x"))
			.withMessage("Not a project id: '../x'");
	}

	@Test
	void runsEachServerOnItsOwnPortAndLeavesNoProcessBehindOnClose() {
		List<ProcessHandle> before = ProcessHandle.current().descendants().toList();
		assertSecondServerOwnsItsPort(firestore, new FirestoreEmulatorServer(),
				(other) -> assertThat(get(other.endpoint()).body()).isEqualToIgnoringWhitespace("Ok"));
		assertThat(ProcessHandle.current().descendants().filter(ProcessHandle::isAlive))
			.as("processes left behind by the second emulator (gcloud, its script, the emulator's JVM)")
			.allMatch(before::contains);
	}

	@Test
	void stopsTheEmulatorsJvmWithGcloudAndStartsItAgainOnTheSamePort() throws Exception {
		try (FirestoreEmulatorServer second = new FirestoreEmulatorServer().start()) {
			int port = second.port();
			List<ProcessHandle> started = ProcessHandle.current()
				.descendants()
				.filter((process) -> process.info().commandLine().orElse("").contains("--port=" + port))
				.toList();
			assertThat(started).as("gcloud's script and the emulator's JVM").hasSizeGreaterThanOrEqualTo(2);

			second.stopProcess();

			for (ProcessHandle process : started) {
				process.onExit().get(10, TimeUnit.SECONDS);
			}
			assertThat(Loopback.accepts(port)).isFalse();
			second.restartProcess();
			assertThat(second.port()).isEqualTo(port);
			assertThat(readDocument(second, FirestoreEmulatorServer.PROJECT_ID, "notes", "none").statusCode())
				.isEqualTo(404);
		}
	}

	@Test
	void saysToStartAServerThatIsNotRunning() {
		FirestoreEmulatorServer stopped = new FirestoreEmulatorServer();
		assertThat(stopped.log()).isEmpty();
		assertThatIllegalStateException().isThrownBy(stopped::hostPort)
			.withMessage("The Firestore emulator server is not running; call start() first");
	}

	private static HttpResponse<String> createDocument(FirestoreEmulatorServer server, String project,
			String collection, String id) throws Exception {
		return send(HttpRequest.newBuilder(documents(server, project).resolve(collection + "?documentId=" + id))
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString("{\"fields\":{\"text\":{\"stringValue\":\"hello\"}}}")));
	}

	private static HttpResponse<String> readDocument(FirestoreEmulatorServer server, String project, String collection,
			String id) throws Exception {
		return get(documents(server, project).resolve(collection + "/" + id));
	}

	private static URI documents(FirestoreEmulatorServer server, String project) {
		return server.endpoint().resolve("/v1/projects/" + project + "/databases/%28default%29/documents/");
	}

}
