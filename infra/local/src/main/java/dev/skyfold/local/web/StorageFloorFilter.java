package dev.skyfold.local.web;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import dev.skyfold.chat.application.PostMessageFunction;
import dev.skyfold.local.LocalProperties;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.util.unit.DataSize;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Refuses writes to the data folder once it is nearly full, before anything is read or
 * written: an upload, and a post while the chat's store is the embedded one in that
 * folder, are a 507 problem while less than the health check's floor
 * ({@code management.health.diskspace.threshold}) would stay free. So what the app
 * acknowledges can be kept, the chat's store is not the write that fails, and a full disk
 * is a clear answer rather than a server error.
 */
@Component
@Order(Ordered.LOWEST_PRECEDENCE - 5)
class StorageFloorFilter extends OncePerRequestFilter {

	private final Path data;

	private final long floor;

	private final boolean embeddedStore;

	private final String functions;

	private final JsonMapper json;

	/**
	 * The data folder's file store, found once: finding it reads the whole mount table,
	 * about 100 µs a post, while its free space is one system call.
	 */
	private volatile @Nullable FileStore store;

	StorageFloorFilter(LocalProperties properties, JsonMapper json,
			@Value("${management.health.diskspace.threshold:10MB}") DataSize floor,
			@Value("${spring.datasource.url:}") String storeUrl,
			@Value("${spring.cloud.function.web.path:}") String functionsPath) {
		this.data = properties.data();
		this.floor = floor.toBytes();
		this.embeddedStore = storeUrl.startsWith("jdbc:h2:file:");
		this.functions = functionsPath.endsWith("/") ? functionsPath : functionsPath + "/";
		this.json = json;
	}

	@Override
	protected boolean shouldNotFilter(HttpServletRequest request) {
		if ("PUT".equals(request.getMethod())) {
			return !request.getRequestURI().substring(request.getContextPath().length()).startsWith("/objects/");
		}
		List<String> names = FunctionPaths.names(request, this.functions);
		return !this.embeddedStore || names == null || !names.contains(PostMessageFunction.NAME);
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		long free = usableSpace();
		long incoming = Math.max(0, request.getContentLengthLong());
		if (free - incoming >= this.floor) {
			chain.doFilter(request, response);
			return;
		}
		Problems.write(this.json, request, response,
				Problems.problem(HttpStatus.INSUFFICIENT_STORAGE, "Insufficient storage",
						"The data folder has " + megabytes(free) + " free, and keeps at least " + megabytes(this.floor)
								+ " (management.health.diskspace.threshold); nothing was stored"));
	}

	private long usableSpace() {
		try {
			FileStore fileStore = this.store;
			if (fileStore == null) {
				Files.createDirectories(this.data);
				fileStore = Files.getFileStore(this.data);
				this.store = fileStore;
			}
			return fileStore.getUsableSpace();
		}
		catch (IOException ex) {
			// Found again next time: the folder may have been removed or remounted.
			this.store = null;
			throw new UncheckedIOException("Cannot read the free space of " + this.data, ex);
		}
	}

	private static String megabytes(long bytes) {
		return String.format("%.1f MB", bytes / 1_048_576.0);
	}

}
