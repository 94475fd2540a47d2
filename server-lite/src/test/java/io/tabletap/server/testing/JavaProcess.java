package io.tabletap.server.testing;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Starts another JVM running a main class from this test class path: the same java, the same classes. */
public final class JavaProcess {
  private JavaProcess() {}

  public static ProcessBuilder of(Class<?> mainClass, String... args) {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(mainClass.getName());
    command.addAll(List.of(args));
    return new ProcessBuilder(command);
  }
}
