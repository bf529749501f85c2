#if canImport(Glibc)
import Glibc
#endif

/// Resident memory of this process in bytes, from /proc/self/statm (nil
/// where unavailable), for tests that memory is given back. The allocator's
/// free memory is handed back to the system first (`malloc_trim`), so that
/// memory freed into the heap does not count as resident.
public func residentBytes() -> Int? {
  #if canImport(Glibc)
  if let trim = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "malloc_trim") {
    _ = unsafeBitCast(trim, to: (@convention(c) (Int) -> Int32).self)(0)
  }
  let fd = open("/proc/self/statm", O_RDONLY)
  guard fd >= 0 else { return nil }
  defer { close(fd) }
  var buffer = [UInt8](repeating: 0, count: 128)
  let n = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, 127) }
  guard n > 0 else { return nil }
  let fields = String(decoding: buffer[0..<n], as: UTF8.self).split(separator: " ")
  guard fields.count > 1, let pages = Int(fields[1]) else { return nil }
  return pages * Int(sysconf(Int32(_SC_PAGESIZE)))
  #else
  return nil
  #endif
}

/// Whether AddressSanitizer is linked in (its quarantine keeps freed memory
/// resident, so resident size says nothing about leaks there).
public var underAddressSanitizer: Bool {
  #if canImport(Glibc)
  return dlsym(UnsafeMutableRawPointer(bitPattern: 0), "__asan_init") != nil
  #else
  return false
  #endif
}

/// The peak resident memory of this process in bytes so far (`VmHWM` in
/// /proc/self/status; nil where unavailable), for tests that a computation
/// never holds much memory at once, even if it gives it all back.
///
/// ```swift
/// let before = peakResidentBytes() ?? 0
/// work()
/// #expect((peakResidentBytes() ?? 0) - before < 64 << 20)
/// ```
public func peakResidentBytes() -> Int? {
  #if canImport(Glibc)
  guard let file = fopen("/proc/self/status", "r") else { return nil }
  defer { fclose(file) }
  var line = [CChar](repeating: 0, count: 256)
  while fgets(&line, Int32(line.count), file) != nil {
    let s = String(decoding: line.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    if s.hasPrefix("VmHWM:") { return Int(s.filter(\.isNumber)).map { $0 * 1024 } }
  }
  #endif
  return nil
}
