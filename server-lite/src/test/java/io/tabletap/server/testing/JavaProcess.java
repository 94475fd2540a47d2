package io.tabletap.server.testing;

import java.io.File;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Starts another JVM running a main class from this test class path: the same java, the same classes. */
public final class JavaProcess {
  private JavaProcess() {}

  public static ProcessBuilder of(Class<?> mainClass, String... args) {
    return of(mainClass, List.of(), args);
  }

  /** @param jvmOptions options for the new JVM, before its main class (e.g. {@code -XX:+UseParallelGC}) */
  public static ProcessBuilder of(Class<?> mainClass, List<String> jvmOptions, String... args) {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(jvmOptions);
    command.add("-cp");
    command.add(classPath(mainClass));
    command.add(mainClass.getName());
    command.addAll(List.of(args));
    return new ProcessBuilder(command);
  }

  /**
   * The class path {@code mainClass} was loaded from: {@code java.class.path} under Surefire, but
   * exec:java (the benchmarks) loads the project's classes in a class loader of its own inside
   * Maven's JVM, whose {@code java.class.path} is Maven's.
   */
  private static String classPath(Class<?> mainClass) {
    if (mainClass.getClassLoader() instanceof URLClassLoader loader && loader.getURLs().length > 0) {
      List<String> entries = new ArrayList<>();
      for (URL url : loader.getURLs()) {
        try {
          entries.add(Path.of(url.toURI()).toString());
        } catch (URISyntaxException | IllegalArgumentException e) {
          throw new IllegalStateException("Not a file on the class path: " + url, e);
        }
      }
      return String.join(File.pathSeparator, entries);
    }
    return System.getProperty("java.class.path");
  }
}
