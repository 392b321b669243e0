// expect: not available
import static java.lang.System.setProperty as sp
sp('@PROP@', 'x')

workflow('escape') {
    rule('x') {
        match { !state.done }
        action { state.done = true }
    }
}
