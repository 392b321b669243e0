// expect: not available
import static java.lang.Runtime.getRuntime
getRuntime().exec('touch @MARKER@')

workflow('escape') {
    rule('x') {
        match { !state.done }
        action { state.done = true }
    }
}
