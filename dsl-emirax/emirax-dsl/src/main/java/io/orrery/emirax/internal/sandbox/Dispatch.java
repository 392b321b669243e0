package io.orrery.emirax.internal.sandbox;

import groovy.lang.Binding;
import groovy.lang.Closure;
import io.orrery.emirax.EmiraxScript;
import io.orrery.emirax.dsl.MatchScope;
import io.orrery.emirax.sandbox.SandboxException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import org.codehaus.groovy.runtime.InvokerHelper;

/**
 * Method calls and property access of rule code, each checked against the {@link AllowList} by the receiver's
 * class and the member's name before Groovy's own dispatch runs it. Maps and the DSL's scopes are served directly,
 * which is both the hot path and the strictest: {@code map.anything} is only ever {@code map.get("anything")}.
 */
public final class Dispatch {

    private Dispatch() {
    }

    public static Object call(Object receiver, String name, Object[] args) {
        if (receiver == null) {
            throw new NullPointerException("Cannot invoke method " + name + "() on null object");
        }
        if (receiver instanceof Class<?> type) {
            return callStatic(type, name, args);
        }
        Class<?> type = receiver.getClass();
        if (!AllowList.method(type, name)) {
            throw refused("call", name, type);
        }
        return invoke(receiver, name, args);
    }

    /** Runs a call already allowed. */
    static Object invoke(Object receiver, String name, Object[] args) {
        Limits.requireSized(receiver, name, args);
        if (receiver instanceof CharSequence text && Regex.handles(name, args)) {
            return Regex.call(text, name, args);
        }
        if (Regex.involved(receiver, args)) {
            return Regex.callWithPattern(receiver, name, args);
        }
        Object result = InvokerHelper.invokeMethod(receiver, name, args);
        if (Limits.BUILDERS.contains(name)) {
            RuleBudget.checkNow();
        }
        return result;
    }

    public static Object callStatic(Class<?> type, String name, Object[] args) {
        if (!RuleTypes.isStatic(type.getName(), name)) {
            throw refused("call", name, type);
        }
        Limits.requireSized(type, name, args);
        Object result = InvokerHelper.invokeStaticMethod(type, name, args);
        RuleBudget.checkNow();
        return result;
    }

    public static Object getProperty(Object receiver, String name) {
        if (receiver instanceof Map<?, ?> map) {
            return map.get(name);
        }
        if (receiver instanceof MatchScope scope) {
            return scopeProperty(scope, name);
        }
        if (receiver == null) {
            throw new NullPointerException("Cannot get property '" + name + "' on null object");
        }
        if (receiver instanceof Class<?> type) {
            return getStatic(type, name);
        }
        if (receiver instanceof EmiraxScript script) {
            return variable(script, name);
        }
        if (receiver instanceof Collection<?> items && !name.equals("empty")) {
            List<Object> values = new ArrayList<>(items.size());
            for (Object item : items) {
                values.add(item == null ? null : getProperty(item, name));
            }
            return values;
        }
        Class<?> type = receiver.getClass();
        if (!AllowList.property(type, name) && !(name.equals("empty") && receiver instanceof Collection)) {
            throw refused("read the property", name, type);
        }
        return InvokerHelper.getProperty(receiver, name);
    }

    public static Object getStatic(Class<?> type, String name) {
        if (!RuleTypes.isStatic(type.getName(), name)) {
            throw refused("read the property", name, type);
        }
        return InvokerHelper.getProperty(type, name);
    }

    @SuppressWarnings("unchecked")
    public static Object setProperty(Object receiver, String name, Object value) {
        if (receiver instanceof Map<?, ?> map) {
            ((Map<Object, Object>) map).put(name, value);
            return value;
        }
        if (receiver instanceof EmiraxScript script) {
            if (AllowList.NEVER.contains(name) || name.equals("binding") || name.indexOf('$') >= 0) {
                throw refused("set the property", name, script.getClass());
            }
            script.setProperty(name, value);
            return value;
        }
        if (receiver == null) {
            throw new NullPointerException("Cannot set property '" + name + "' on null object");
        }
        throw refused("set the property", name, receiver instanceof Class<?> c ? c : receiver.getClass());
    }

    // ---- implicit receivers: a name used bare inside a closure resolves through its delegate and owner ----------

    public static Object callImplicit(Object owner, Object delegate, int strategy, String name, Object[] args) {
        Object target = target(owner, delegate, strategy, name, false, 0);
        if (target == null) {
            throw new SandboxException("no method '" + name + "' is available to rules here");
        }
        return invoke(target, name, args);
    }

    public static Object getImplicit(Object owner, Object delegate, int strategy, String name) {
        Object target = target(owner, delegate, strategy, name, true, 0);
        if (target == null) {
            throw new SandboxException("no property '" + name + "' is available to rules here");
        }
        return getProperty(target, name);
    }

    public static Object setImplicit(Object owner, Object delegate, int strategy, String name, Object value) {
        EmiraxScript script = script(owner, delegate, 0);
        if (script == null) {
            throw new SandboxException("'" + name + "' is not a variable here; keep data in state");
        }
        return setProperty(script, name, value);
    }

    private static Object target(Object owner, Object delegate, int strategy, String name, boolean property,
                                 int depth) {
        if (depth > 16) {
            return null;
        }
        Object first = strategy == Closure.DELEGATE_FIRST || strategy == Closure.DELEGATE_ONLY ? delegate : owner;
        Object second = switch (strategy) {
            case Closure.DELEGATE_FIRST -> owner;
            case Closure.OWNER_FIRST -> delegate;
            default -> null;
        };
        if (strategy == Closure.TO_SELF) {
            return null;
        }
        Object found = candidate(first, name, property, depth);
        return found != null || second == first ? found : candidate(second, name, property, depth);
    }

    private static Object candidate(Object c, String name, boolean property, int depth) {
        if (c == null) {
            return null;
        }
        if (c instanceof Closure<?> closure) {
            return target(closure.getOwner(), closure.getDelegate(), closure.getResolveStrategy(), name, property,
                    depth + 1);
        }
        if (c instanceof EmiraxScript script) {
            boolean has = property ? script.getBinding().hasVariable(name) : AllowList.method(c.getClass(), name);
            return has ? c : null;
        }
        if (property) {
            return c instanceof Map || AllowList.property(c.getClass(), name) ? c : null;
        }
        return AllowList.method(c.getClass(), name) ? c : null;
    }

    // The script whose variables a bare assignment would set (and which refuses them once the model is built).
    private static EmiraxScript script(Object owner, Object delegate, int depth) {
        for (Object c : new Object[] {delegate, owner}) {
            if (c instanceof EmiraxScript s) {
                return s;
            }
        }
        for (Object c : new Object[] {delegate, owner}) {
            if (c instanceof Closure<?> closure && depth < 16) {
                EmiraxScript s = script(closure.getOwner(), closure.getDelegate(), depth + 1);
                if (s != null) {
                    return s;
                }
            }
        }
        return null;
    }

    private static Object scopeProperty(MatchScope scope, String name) {
        return switch (name) {
            case "input" -> scope.getInput();
            case "state" -> scope.getState();
            case "output" -> scope.getOutput();
            case "key" -> scope.getKey();
            default -> throw refused("read the property", name, scope.getClass());
        };
    }

    private static Object variable(EmiraxScript script, String name) {
        Binding binding = script.getBinding();
        if (!binding.hasVariable(name) || AllowList.NEVER.contains(name)) {
            throw new SandboxException("no variable '" + name + "' is available to rules here");
        }
        return binding.getVariable(name);
    }

    static SandboxException refused(String what, String name, Class<?> type) {
        return new SandboxException("Emirax rules may not " + what + " '" + name + "' of " + describe(type));
    }

    private static String describe(Class<?> type) {
        return EmiraxScript.class.isAssignableFrom(type) ? "the script"
                : Closure.class.isAssignableFrom(type) ? "a closure" : type.getName();
    }
}
