package org.galley.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.IntFunction;
import org.galley.pipeline.Uninterruptibly;

/** Runs n tasks on at most {@code threads} threads and returns their results in input order. */
final class Parallel {
    private Parallel() {}

    static <T> List<T> map(int n, int threads, IntFunction<T> task) {
        if (threads <= 1) {
            List<T> out = new ArrayList<>();
            for (int i = 0; i < n; i++) out.add(task.apply(i));
            return out;
        }
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<T>> futures = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                int index = i;
                futures.add(pool.submit(() -> task.apply(index)));
            }
            // Wait for every build, even after one failed: each must finish its own cleanup.
            List<T> out = new ArrayList<>();
            RuntimeException first = null;
            for (Future<T> f : futures) {
                try {
                    out.add(Uninterruptibly.get(f));
                } catch (ExecutionException e) {
                    if (first == null) {
                        first = e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
                    }
                }
            }
            if (first != null) throw first;
            return out;
        } finally {
            pool.shutdown();
        }
    }
}
