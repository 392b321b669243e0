// expect: declaring classes
@interface A { String value() default 'x' }

workflow('escape') {
    rule('x') {
        match { !state.done }
        action { state.done = true }
    }
}
