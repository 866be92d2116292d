package dev.skyfold.local.web;

import java.io.IOException;

import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import org.apache.catalina.Context;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ValveBase;
import org.apache.coyote.ActionCode;

import org.springframework.boot.tomcat.TomcatContextCustomizer;
import org.springframework.stereotype.Component;

/**
 * Closes the connection once a request whose body the app gave up reading (sent too
 * slowly) is answered. Tomcat would otherwise read the rest of the body, up to 2 MB, at
 * the sender's pace before taking the next request, holding the thread that the cut-off
 * was meant to free.
 */
@Component
class AbandonedBodies implements TomcatContextCustomizer {

	private static final String ABANDONED = AbandonedBodies.class.getName() + ".abandoned";

	/**
	 * Marks a request whose body is not read to its end, so that its connection closes
	 * after the answer.
	 * @param request the request
	 */
	static void abandon(HttpServletRequest request) {
		request.setAttribute(ABANDONED, Boolean.TRUE);
	}

	@Override
	public void customize(Context context) {
		context.getPipeline().addValve(new ValveBase(true) {

			@Override
			public void invoke(Request request, Response response) throws IOException, ServletException {
				getNext().invoke(request, response);
				if (request.getAttribute(ABANDONED) != null) {
					// Answers, then closes, without reading what is left of the body.
					request.getCoyoteRequest().action(ActionCode.DISABLE_SWALLOW_INPUT, null);
				}
			}

		});
	}

}
