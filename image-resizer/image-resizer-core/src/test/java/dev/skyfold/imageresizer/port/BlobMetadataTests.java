package dev.skyfold.imageresizer.port;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class BlobMetadataTests {

	@Test
	void acceptsLowerCaseNamesStartingWithALetter() {
		assertThat(BlobMetadata.checkName("source-key")).isEqualTo("source-key");
		assertThat(BlobMetadata.checkName("v2")).isEqualTo("v2");
	}

	@Test
	void refusesOtherNames() {
		for (String name : new String[] { "", "Source", "2nd", "-key", "source_key", "source key" }) {
			assertThatIllegalArgumentException().as(name).isThrownBy(() -> BlobMetadata.checkName(name));
		}
	}

	@Test
	void keepsPrintableAsciiAndEncodesTheRestAsRfc2047Words() {
		assertThat(BlobMetadata.headerValue("uploads/my photo+1.jpg")).isEqualTo("uploads/my photo+1.jpg");
		assertThat(BlobMetadata.headerValue("")).isEmpty();
		assertThat(BlobMetadata.headerValue("uploads/café.jpg")).isEqualTo("=?UTF-8?B?dXBsb2Fkcy9jYWbDqS5qcGc=?=");
		assertThat(BlobMetadata.headerValue(" padded")).startsWith("=?UTF-8?B?");
		assertThat(BlobMetadata.headerValue("=?looks encoded?=")).startsWith("=?UTF-8?B?");
	}

	@Test
	void readsBackWhatItEncodedAndLeavesOtherValuesAsTheyAre() {
		for (String value : new String[] { "uploads/my photo+1.jpg", "", "uploads/été 2024/日本 😀.jpg", " padded ",
				"=?looks encoded?=", "line\nbreak" }) {
			assertThat(BlobMetadata.value(BlobMetadata.headerValue(value))).as(value).isEqualTo(value);
		}
		assertThat(BlobMetadata.value("=?UTF-8?B?not base64!?=")).isEqualTo("=?UTF-8?B?not base64!?=");
		assertThat(BlobMetadata.value("=?ISO-8859-1?Q?caf=E9?=")).isEqualTo("=?ISO-8859-1?Q?caf=E9?=");
	}

}
