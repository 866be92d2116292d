package dev.skyfold.testsupport.loopback;

import java.net.URI;
import java.net.http.HttpResponse;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static dev.skyfold.testsupport.loopback.Loopback.assertSecondServerOwnsItsPort;
import static dev.skyfold.testsupport.loopback.Loopback.send;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

class DynaliteServerIntegrationTests {

	@RegisterExtension
	static final DynaliteServer dynalite = new DynaliteServer();

	@Test
	void answersListTablesWithNoTables() throws Exception {
		assertThat(dynalite.endpoint()).isEqualTo(URI.create("http://127.0.0.1:" + dynalite.port()));
		HttpResponse<String> answer = listTables(dynalite.endpoint());
		assertThat(answer.statusCode()).isEqualTo(200);
		assertThat(answer.headers().firstValue("Content-Type")).hasValue("application/x-amz-json-1.0");
		assertThat(answer.body()).isEqualTo("{\"TableNames\":[]}");
	}

	@Test
	void runsEachServerOnItsOwnPortAndFreesItOnClose() {
		assertSecondServerOwnsItsPort(dynalite, new DynaliteServer(),
				(other) -> assertThat(listTables(other.endpoint()).statusCode()).isEqualTo(200));
	}

	@Test
	void saysToStartAServerThatIsNotRunning() {
		DynaliteServer stopped = new DynaliteServer();
		assertThat(stopped.log()).isEmpty();
		assertThatIllegalStateException().isThrownBy(stopped::endpoint)
			.withMessage("The dynalite server is not running; call start() first");
	}

	private static HttpResponse<String> listTables(URI endpoint) throws Exception {
		return send(DynaliteServer.listTables(endpoint));
	}

}
