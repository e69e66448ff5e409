internal import CRdKafka

/// Names the calling thread for profilers and debuggers (`perf`, `top -H`, gdb).
///
/// Called first thing on each thread we start: on Linux, Foundation's `Thread.name` set
/// before `start()` is not applied to the OS thread, and a name over 15 bytes is refused, so
/// our threads showed the name of whatever thread started them (often Swift's pool).
public enum ThreadName {
    /// Names the calling thread `name` (at most 15 bytes).
    public static func setCurrent(_ name: String) {
        precondition(name.utf8.count <= 15, "thread names are limited to 15 bytes on Linux")
        _ = fs_set_current_thread_name(name)
    }
}
