// expect: declaring classes
interface I { default void x() { } }

workflow('escape') {
    rule('x') {
        match { !state.done }
        action { state.done = true }
    }
}
