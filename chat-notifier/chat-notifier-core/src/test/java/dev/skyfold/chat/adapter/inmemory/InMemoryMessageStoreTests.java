package dev.skyfold.chat.adapter.inmemory;

import dev.skyfold.chat.port.MessageStore;
import dev.skyfold.chat.port.MessageStoreContract;

/**
 * The in-memory store keeps the {@link MessageStore} contract.
 */
class InMemoryMessageStoreTests extends MessageStoreContract {

	@Override
	protected MessageStore createEmptyStore() {
		return new InMemoryMessageStore();
	}

}
