package dev.skyfold.local.bucket;

import dev.skyfold.local.web.Problems;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code /reconcile}, for admins: {@code POST} starts a run of
 * {@code reconcileThumbnails} over the local bucket (202, or a 409 problem while one is
 * under way), {@code GET} tells its progress: objects checked of the total, thumbnails
 * rendered and removed, objects that failed and why, and the rate.
 */
@RestController
class ReconcileController {

	private final ReconcileRuns runs;

	ReconcileController(ReconcileRuns runs) {
		this.runs = runs;
	}

	@PostMapping("/reconcile")
	ResponseEntity<?> start() {
		if (!this.runs.start()) {
			return Problems.response(HttpStatus.CONFLICT, "A reconcile is under way",
					"Thumbnails are being reconciled already; follow GET /reconcile until it ends");
		}
		return ResponseEntity.accepted().body(this.runs.progress());
	}

	@GetMapping("/reconcile")
	ReconcileRuns.Progress progress() {
		return this.runs.progress();
	}

}
