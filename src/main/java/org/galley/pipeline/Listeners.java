package org.galley.pipeline;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.List;
import java.util.function.UnaryOperator;
import org.galley.transport.ExecResult;

/** Combinators for {@link BuildListener}: fan-out to several, and a text filter in front of one. */
public final class Listeners {
    private Listeners() {}

    /** Every event goes to each listener in turn. */
    public static BuildListener tee(List<BuildListener> listeners) {
        return (BuildListener) Proxy.newProxyInstance(BuildListener.class.getClassLoader(),
                new Class<?>[] {BuildListener.class}, (proxy, method, args) -> {
                    if (method.getDeclaringClass() == Object.class) return method.invoke(listeners, args);
                    for (BuildListener l : listeners) invoke(method, l, args);
                    return null;
                });
    }

    /**
     * Passes every text argument (and a command result's output) through {@code filter}
     * before {@code target} sees it: the secret filter sits here, so no listener can
     * forget it.
     */
    public static BuildListener filtered(BuildListener target, UnaryOperator<String> filter) {
        return (BuildListener) Proxy.newProxyInstance(BuildListener.class.getClassLoader(),
                new Class<?>[] {BuildListener.class}, (proxy, method, args) -> {
                    if (method.getDeclaringClass() == Object.class) return method.invoke(target, args);
                    Object[] clean = args == null ? null : args.clone();
                    for (int i = 0; clean != null && i < clean.length; i++) {
                        if (clean[i] instanceof String s) clean[i] = filter.apply(s);
                        else if (clean[i] instanceof ExecResult r) {
                            clean[i] = new ExecResult(r.exitCode(), filter.apply(r.stdout()), filter.apply(r.stderr()),
                                    r.took());
                        }
                    }
                    invoke(method, target, clean);
                    return null;
                });
    }

    private static void invoke(java.lang.reflect.Method m, BuildListener l, Object[] args) throws Throwable {
        try {
            m.invoke(l, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }
}
