package dev.skyfold.local.security;

import java.util.List;

import dev.skyfold.kernel.access.Role;
import org.jspecify.annotations.Nullable;

import org.springframework.security.core.Authentication;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /me}: who is signed in and what their role allows, so that the pages show
 * only what the caller may do. Any signed-in caller may ask.
 */
@RestController
class SignedInController {

	@GetMapping("/me")
	SignedIn me(Authentication authentication) {
		Caller caller = Caller.of(authentication);
		Role role = caller.role();
		List<String> roles = (role != null) ? role.andBelow().stream().map(Role::id).toList() : List.of();
		return new SignedIn(caller.name(), (role != null) ? role.id() : null, roles);
	}

	/**
	 * The signed-in caller.
	 *
	 * @param name who they are: the author of what they post
	 * @param role their highest role, {@code null} when they have none
	 * @param roles every role they hold, the highest one included
	 */
	record SignedIn(String name, @Nullable String role, List<String> roles) {
	}

}
