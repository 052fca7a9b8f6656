package dev.shepherd.core.cost;

import dev.shepherd.core.spi.SpendCapStore;
import dev.shepherd.core.testing.SpendCapStoreContract;
import java.time.Duration;

class LocalSpendCapStoreTest extends SpendCapStoreContract {

    @Override
    protected SpendCapStore open(double limitUsd, Duration window) {
        return new LocalSpendCapStore(limitUsd, window.toNanos(), System::nanoTime);
    }
}
