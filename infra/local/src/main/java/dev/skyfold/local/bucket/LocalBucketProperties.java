package dev.skyfold.local.bucket;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;

/**
 * The local bucket served under {@code /objects}, configured under
 * {@code skyfold.local.bucket}.
 *
 * @param name the bucket's name, as object-created events carry it
 * @param maxObjectSize the largest object an upload may store
 */
@ConfigurationProperties("skyfold.local.bucket")
public record LocalBucketProperties(String name, DataSize maxObjectSize) {

	public LocalBucketProperties {
		name = (name != null) ? name : "skyfold";
		maxObjectSize = (maxObjectSize != null) ? maxObjectSize : DataSize.ofMegabytes(100);
	}

}
